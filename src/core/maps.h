// Map data for the consensus / contradiction views, computed in core and unit-tested:
// the claims x models stance matrix, model x model agreement, an LLM-free text
// similarity between answers, and a deterministic graph layout. The UI only paints.
#pragma once
#include <string>
#include <vector>

#include "types.h"

namespace concord {

enum class StanceKind : unsigned char { Silent = 0, Agree, Partial, Disagree };
enum class RowSection : unsigned char { Consensus, Contradiction, Minority, Partial, Unique, BlindSpot };

struct StanceRow {
  RowSection section;
  std::string text;                 // claim / topic / point / insight / blind spot
  std::vector<StanceKind> cells;    // one per panel column
  std::vector<std::string> notes;   // per column: that model's stance text ("" if none)
  std::vector<int> sides;           // contradictions: per column, the side its stance is on (-1: none or hedged);
                                    // two Disagree cells on different sides do not agree
  int source_index = 0;             // index into the Analysis section vector
};

struct StanceMatrix {
  std::vector<std::string> columns;  // panel labels, in panel order
  std::vector<StanceRow> rows;       // sections in RowSection order
};

// `labels` are the panel labels in column order ("A","B",...). Analysis references are
// normalised with NormaliseLabel. For contradictions, the first stance's position is the
// reference: a member whose stance matches the majority side gets Agree, the others
// Disagree; members named with no stance are Silent. Blind spots are all Silent.
StanceMatrix BuildStanceMatrix(const Analysis& a, const std::vector<std::string>& labels);

// Symmetric n x n matrix in [0,1], row-major, 1 on the diagonal. Pairs that share no
// non-silent row get -1 ("unknown").
std::vector<double> AgreementFromStances(const StanceMatrix& m);

// TF-IDF cosine over word unigrams + bigrams (lower-cased, punctuation-stripped, UTF-8 safe).
// Symmetric n x n, row-major, 1 on the diagonal; an empty text has 0 similarity to the others.
// Works on partial (still streaming) text.
std::vector<double> TextSimilarity(const std::vector<std::string>& texts);

// Graph: model nodes and contradiction-topic nodes, edges from topic to the models on
// each side. Deterministic: same input -> same positions. Coordinates in [0,1]^2.
struct GraphNode { std::string label; bool is_topic = false; float x = 0, y = 0; float weight = 1; };
struct GraphEdge { int a = 0, b = 0; StanceKind kind = StanceKind::Agree; std::string text; };
struct GraphLayout { std::vector<GraphNode> nodes; std::vector<GraphEdge> edges; };
// `weights` per model (tokens or cost), may be empty. Model-model edges carry agreement
// (>= 0.5 Agree, else Disagree) from `agreement` when it is non-empty.
GraphLayout LayoutGraph(const StanceMatrix& m, const std::vector<double>& agreement,
                        const std::vector<double>& weights);

// Finds `quote` (or its longest matching run of words) in `text`; returns byte range or {-1,-1}.
std::pair<int, int> FindQuote(const std::string& text, const std::string& quote);

// CSV of the stance matrix (RFC 4180 quoting).
std::string StanceMatrixCsv(const StanceMatrix& m, const std::vector<std::string>& column_names);

}  // namespace concord
