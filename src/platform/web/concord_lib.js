// Concord's JS library (--js-library): every browser call the app makes, named js_*,
// each behind a C++ wrapper in web_host.cpp / web_transport.cpp. Nothing else in the
// tree talks to the browser. Callbacks into C++ only queue data; C++ drains the queues on
// the main loop (a network event wakes it at once: concord_wake).
mergeInto(LibraryManager.library, {
  // ---- [SECTION] helpers ---------------------------------------------------------
  $concordStr__deps: ['malloc'],
  $concordStr: function(s) {  // JS string -> malloc'd UTF-8 (caller frees)
    var n = lengthBytesUTF8(s) + 1;
    var p = _malloc(n);
    stringToUTF8(s, p, n);
    return p;
  },
  $concordBytes__deps: ['malloc'],
  $concordBytes: function(u8) {  // Uint8Array -> malloc'd copy (caller frees)
    var p = _malloc(u8.length || 1);
    HEAPU8.set(u8, p);
    return p;
  },

  // ---- [SECTION] streaming fetch bridge ---------------------------------------------
  // emscripten_fetch cannot stream in Chromium (3.1.6), so SSE goes through fetch() +
  // ReadableStream + AbortController. Events are handed to C++ exports that queue them.
  // No timers here: the engine enforces idle and total limits on its own clock and cancels.
  $concordNet: { live: {} },
  js_stream_start__deps: ['$concordNet', '$concordStr', '$concordBytes', 'free'],
  js_stream_start: function(id, urlP, methodP, headersP, bodyP, bodyLen) {
    var url = UTF8ToString(urlP), method = UTF8ToString(methodP);
    var headers = JSON.parse(UTF8ToString(headersP));
    var body = bodyLen > 0 ? HEAPU8.slice(bodyP, bodyP + bodyLen) : undefined;
    var ctl = new AbortController();
    var st = { ctl: ctl, done: false, why: 0 };
    concordNet.live[id] = st;
    function finish(kind, msg) {  // kind: 0 end, 1 unreachable, 2 lost after the headers, 4 aborted
      if (st.done) return;
      st.done = true;
      delete concordNet.live[id];
      var p = concordStr(msg || '');
      _concord_net_end(id, kind, p);
      _concord_wake();  // let the engine act now (e.g. start the judge), not at the next frame
      _free(p);
    }
    // No cache mode for a POST (its answer is never cached anyway): in Chromium, 'no-store'
    // also bypasses the CORS preflight cache, so every call paid an OPTIONS round trip first
    // even with Access-Control-Max-Age (measured against the simulator: one per call).
    fetch(url, { method: method, headers: headers, body: method === 'GET' ? undefined : body,
                 signal: ctl.signal, cache: method === 'GET' ? 'no-store' : 'default', credentials: 'omit',
                 referrerPolicy: 'strict-origin' })
      .then(function(res) {
        if (st.done) return;
        var h = {};
        res.headers.forEach(function(v, k) { h[k.toLowerCase()] = v; });
        st.began = true;
        var hp = concordStr(JSON.stringify(h));
        _concord_net_headers(id, res.status, hp);
        _concord_wake();
        _free(hp);
        if (!res.body) { finish(0); return; }
        var reader = res.body.getReader();
        function pump() {
          return reader.read().then(function(r) {
            if (st.done) return;
            if (r.done) { finish(0); return; }
            var p = concordBytes(r.value);
            _concord_net_data(id, p, r.value.length);
            _free(p);
            // The engine acts on every piece: a stream's terminator ([DONE]) ends its call and
            // starts the next stage here, not when the connection reports its end (often a
            // separate read, 0.1-17 ms later here; never, through a proxy that holds it open).
            _concord_wake();
            return pump();
          });
        }
        return pump();
      })
      .catch(function(e) {
        if (st.why === 4) finish(4, 'cancelled');
        else finish(st.began ? 2 : 1, String(e && e.message || e));
      });
  },
  // ---- [SECTION] in-page demo backend -------------------------------------------------
  // Requests to the demo endpoint (demo://…) never touch the network: web/demo/provider.mjs
  // (loaded by index.html as window.concordDemo, a promise of the module) answers them in
  // OpenRouter's wire format, and its timed pieces reach C++ through the same exports as a
  // real stream. Cancelling clears the pending timers.
  js_demo_start__deps: ['$concordNet', '$concordStr', '$concordBytes', 'free'],
  js_demo_start: function(id, urlP, methodP, headersP, bodyP, bodyLen) {
    var req = { url: UTF8ToString(urlP), method: UTF8ToString(methodP), headers: JSON.parse(UTF8ToString(headersP)),
                body: bodyLen > 0 ? UTF8ToString(bodyP, bodyLen) : '' };
    var timers = [];
    var st = { done: false, ctl: { abort: function() { timers.forEach(clearTimeout); } } };
    concordNet.live[id] = st;
    function finish(kind, msg) {
      if (st.done) return;
      st.done = true;
      delete concordNet.live[id];
      var p = concordStr(msg || '');
      _concord_net_end(id, kind, p);
      _concord_wake();
      _free(p);
    }
    var enc = new TextEncoder();
    (window.concordDemo || Promise.reject(new Error('the page did not load it'))).then(function(m) {
      if (st.done) return;
      var r = m.respond(req);
      var hp = concordStr(JSON.stringify(r.headers || {}));
      _concord_net_headers(id, r.status, hp);
      _free(hp);
      _concord_wake();
      var last = 0;
      r.events.forEach(function(ev) {
        last = Math.max(last, ev.at);
        timers.push(setTimeout(function() {
          if (st.done) return;
          var u8 = enc.encode(ev.data);
          var p = concordBytes(u8);
          _concord_net_data(id, p, u8.length);
          _free(p);
          _concord_wake();
        }, ev.at));
      });
      timers.push(setTimeout(function() { finish(0); }, last + 1));
    }).catch(function(e) {
      finish(1, 'the in-page demo provider could not start (' + String(e && e.message || e) + '): reload the page');
    });
  },
  js_stream_abort__deps: ['$concordNet'],
  js_stream_abort: function(id) {
    var st = concordNet.live[id];
    if (!st) return;
    st.why = 4;
    st.done = true;  // C++ already forgot this request: no further events
    delete concordNet.live[id];
    st.ctl.abort();
  },
  // Aborting an emscripten_fetch for real: close() alone leaves the XHR running and it
  // later writes into freed memory. This reaches emscripten's internal Fetch.xhrs (3.1.6).
  js_abort_xhr: function(id) {
    var x = (typeof Fetch !== 'undefined' && Fetch.xhrs) ? Fetch.xhrs[id - 1] : null;
    if (x) { x.onload = x.onerror = x.ontimeout = x.onprogress = x.onreadystatechange = null; x.abort(); }
  },

  // ---- [SECTION] storage -------------------------------------------------------------
  js_storage_get__deps: ['$concordStr'],
  js_storage_get: function(local, keyP) {
    try {
      var s = (local ? localStorage : sessionStorage).getItem(UTF8ToString(keyP));
      return s === null ? 0 : concordStr(s);
    } catch (e) { return 0; }
  },
  js_storage_set: function(local, keyP, valP) {  // 1 ok, 0 quota full / unavailable
    try { (local ? localStorage : sessionStorage).setItem(UTF8ToString(keyP), UTF8ToString(valP)); return 1; }
    catch (e) { return 0; }
  },
  js_storage_remove: function(local, keyP) {
    try { (local ? localStorage : sessionStorage).removeItem(UTF8ToString(keyP)); } catch (e) {}
  },

  // ---- [SECTION] clipboard, IME, files, links ----------------------------------------
  js_clipboard_write: function(p) {
    var s = UTF8ToString(p);
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(function() {});
  },
  // Paste and IME text are captured by listeners installed in index.html's bootstrap
  // (window 'paste', a hidden textarea for composition); they call the C++ exports.
  js_text_input_focus: function(want) {
    var ta = document.getElementById('ime');
    if (!ta) return;
    if (want && document.activeElement !== ta) ta.focus({ preventScroll: true });
    if (!want && document.activeElement === ta) ta.blur();
  },
  js_open_url: function(p) {
    var u = UTF8ToString(p);
    if (!/^https?:\/\//i.test(u)) return;  // never javascript: or data: links from model text
    var w = window.open(u, '_blank', 'noopener,noreferrer');
    if (w) w.opener = null;
  },
  js_download: function(nameP, mimeP, dataP, len) {
    var blob = new Blob([HEAPU8.slice(dataP, dataP + len)], { type: UTF8ToString(mimeP) });
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(nameP);
    a.rel = 'noopener';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function() { URL.revokeObjectURL(a.href); }, 1000);
    window.concordLastDownload = { name: a.download, size: len };
  },
  js_pick_file__deps: ['$concordBytes', '$concordStr', 'free'],
  js_pick_file: function(acceptP, maxBytes) {
    var inp = document.createElement('input');
    inp.type = 'file'; inp.accept = UTF8ToString(acceptP);
    inp.onchange = function() {
      var f = inp.files && inp.files[0];
      if (!f) return;
      if (f.size > maxBytes) {  // never copied into the page's memory: the app says why
        var np = concordStr(f.name);
        _concord_file_refused(np, f.size);
        _free(np);
        return;
      }
      f.arrayBuffer().then(function(buf) { window.concordFileArrived(f.name, new Uint8Array(buf)); });
    };
    inp.click();
  },
  // The link follows the question (prompt, panel, judge), written a moment later: in Chromium
  // history.replaceState is a synchronous trip to the browser process (0.4-20 ms here), and a
  // new question sets it right after its requests leave, while they are still on their way.
  // Kept here: the link waiting to be written (pending) and its timer. A page that goes before
  // the timer fires (a reload at once) cannot write it into its own address any more (a reload
  // has taken the old address by then), so one pagehide listener hands it to the next page in
  // this tab's sessionStorage, for that same address only (a link pasted meanwhile wins). No
  // key is ever in a link.
  $concordHash: {
    pending: null, timer: 0, listening: false, taken: false, handoff: 'concord.link_handoff',
    write: function() {
      clearTimeout(concordHash.timer);
      concordHash.timer = 0;
      if (concordHash.pending === null) return;
      var h = concordHash.pending;
      concordHash.pending = null;
      history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
    },
    leave: function() {
      if (concordHash.pending === null) return;
      try {
        sessionStorage.setItem(concordHash.handoff, JSON.stringify({ from: location.href, at: Date.now(), link: concordHash.pending }));
      } catch (e) {}
      concordHash.write();
    },
    // At start: a link handed off by the page before (for this address, in the last 10 s) is written now.
    take: function() {
      try {
        var t = sessionStorage.getItem(concordHash.handoff);
        if (t === null) return;
        sessionStorage.removeItem(concordHash.handoff);
        var x = JSON.parse(t);
        if (x && x.from === location.href && Date.now() - x.at < 10000 && typeof x.link === 'string') {
          concordHash.pending = x.link;
          concordHash.write();
        }
      } catch (e) {}
    },
  },
  js_get_hash__deps: ['$concordStr', '$concordHash'],
  js_get_hash: function() {
    if (!concordHash.taken) { concordHash.taken = true; concordHash.take(); }
    var h = concordHash.pending !== null ? concordHash.pending : (location.hash || '').replace(/^#/, '');
    return concordStr(h);
  },
  js_set_hash__deps: ['$concordHash'],
  js_set_hash: function(p) {
    concordHash.pending = UTF8ToString(p);
    if (!concordHash.listening) {
      concordHash.listening = true;
      addEventListener('pagehide', concordHash.leave);
    }
    if (!concordHash.timer) concordHash.timer = setTimeout(concordHash.write, 300);
  },
  js_page_url__deps: ['$concordStr'],
  js_page_url: function() { return concordStr(location.origin + location.pathname); },
  js_now_unix: function() { return Date.now() / 1000; },

  // ---- [SECTION] OAuth sign-in (Connect OpenRouter) -------------------------------------
  // The verifier comes from the browser's CSPRNG; never Math.random. 1 ok, 0 unavailable.
  js_random_bytes: function(dst, n) {
    try {
      if (!(self.crypto && crypto.getRandomValues)) return 0;
      crypto.getRandomValues(HEAPU8.subarray(dst, dst + n));
      return 1;
    } catch (e) { return 0; }
  },
  js_page_query__deps: ['$concordStr'],
  // The page's query, or the one index.html took out of the address bar on an OAuth return.
  js_page_query: function() {
    var q = null;
    try { q = sessionStorage.getItem('concord.oauth_query'); sessionStorage.removeItem('concord.oauth_query'); } catch (e) {}
    return concordStr(q !== null ? q : (location.search || '').replace(/^\?/, ''));
  },
  // Rewrites the address bar without reloading or adding a history entry (the sign-in
  // code must not linger in the URL, the history list or a bookmark).
  js_replace_query: function(p) {
    var q = UTF8ToString(p);
    try { history.replaceState(history.state, '', location.pathname + (q ? '?' + q : '') + location.hash); } catch (e) {}
  },
  js_navigate: function(p) {
    var u = UTF8ToString(p);
    if (!/^https?:\/\//i.test(u)) return;  // never javascript: or data: URLs
    location.assign(u);
  },
  js_app_ready: function() { if (window.concordReady) window.concordReady(); },
  // A User Timing mark (scripts/bench reads the start-up's: concord-main, -atlas, -first-frame).
  js_perf_mark: function(p) { if (self.performance && performance.mark) performance.mark(UTF8ToString(p)); },
  js_fatal: function(p) { if (window.concordFatal) window.concordFatal(UTF8ToString(p)); },
  // The screen in device pixels (3.1.6's GLFW treats a window of exactly this size as fullscreen).
  js_screen_w: function() { return Math.round(screen.width * devicePixelRatio); },
  js_screen_h: function() { return Math.round(screen.height * devicePixelRatio); },
  js_heap_bytes: function() { return HEAP8.length; },
  js_set_cursor: function(kind) {
    var c = document.getElementById('canvas');
    if (c) c.style.cursor = ['default', 'text', 'pointer', 'grab', 'move'][kind] || 'default';
  },

  // ---- [SECTION] fonts ---------------------------------------------------------------
  // index.html starts downloading the fonts together with the wasm; C++ asks each frame
  // whether they arrived, then copies them into the heap for ImGui's atlas.
  js_font_count: function() { return (window.concordFonts && window.concordFonts.ready) ? window.concordFonts.list.length : -1; },
  js_font_size: function(i) { return window.concordFonts.list[i].byteLength; },
  js_font_copy: function(i, dst) { HEAPU8.set(new Uint8Array(window.concordFonts.list[i]), dst); },
});
