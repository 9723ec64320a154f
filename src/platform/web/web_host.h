// concord::Host implemented over the browser (see web_host.cpp).
#pragma once
#include "host.h"

namespace concord {

class WebHost : public Host {
 public:
  std::string storage_get(bool local, const std::string& key) override;
  bool storage_set(bool local, const std::string& key, const std::string& value) override;
  void storage_remove(bool local, const std::string& key) override;
  void copy_text(const std::string& text) override;
  void open_url(const std::string& url) override;
  void download(const std::string& name, const std::string& mime, const std::string& data) override;
  void pick_file(const std::string& accept) override;
  std::string get_hash() override;
  void set_hash(const std::string& h) override;
  std::string page_url() override;
  double unix_now() override;
  std::string random_bytes(size_t n) override;
  std::string page_query() override;
  void replace_query(const std::string& q) override;
  void navigate(const std::string& url) override;
};

}  // namespace concord
