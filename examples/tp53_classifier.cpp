// Trains and evaluates the study's Transformer (and the L2 logistic-regression and MLP baselines) on any
// binary-labelled CSV: one row per patient, a 0/1 label column, numeric feature columns.
//
//   tp53_classifier table.csv --label tp53 --token tumor_ct_ --token tumor_pet_ --token bat_ct_
//       --token bat_pet_ --token clinical_ --seed 1 --folds 5 --test-fraction 0.1 --epochs 100 --out results
//
// Protocol (radiogenomics/learn/cross_validation.hpp): stratified 9:1 split, stratified k-fold CV on
// the training part, the early-stopping epoch chosen on an inner split of each fold's training rows
// (never on the fold reported), preprocessing (median imputation, variance filter, optional top-k,
// z-score) fitted per fold, per-fold histories, fold models and their ensemble on the test set.
// Writes into --out: metrics.csv, history.csv, confusion.csv, transformer_fold<k>.weights and
// deep_features.csv (CLS embedding of every patient from the fold model with the lowest inner-validation
// loss; its column label_seen says which rows that model was trained or early-stopped on, whose deep
// features therefore reflect their labels — reproduce_paper's report uses out-of-fold deep features).
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "radiogenomics/learn/cross_validation.hpp"
#include "radiogenomics/io/csv.hpp"
#include "support/cli.hpp"

namespace rg = radiogenomics;
namespace rl = radiogenomics::learn;

namespace {

std::string number(double v) { return rg::io::format_number(v, 6); }

void add_metrics(rg::io::csv_writer& metrics, rg::io::csv_writer& confusion, const std::string& model,
                 const std::string& fold, const std::string& split, const rl::binary_metrics& m)
{
    metrics.add_row({model, fold, split, number(m.accuracy), number(m.precision), number(m.recall), number(m.specificity),
                     number(m.f1), number(m.auc), number(m.auc_ci_low), number(m.auc_ci_high), number(m.threshold)});
    confusion.add_row({model, fold, split, std::to_string(m.confusion.tn), std::to_string(m.confusion.fp),
                       std::to_string(m.confusion.fn), std::to_string(m.confusion.tp)});
}

void print_metrics(const std::string& model, const std::string& what, const rl::binary_metrics& m)
{
    std::cout << model << " " << what << ": accuracy " << number(m.accuracy) << ", precision " << number(m.precision)
              << ", recall " << number(m.recall) << ", specificity " << number(m.specificity) << ", F1 "
              << number(m.f1) << ", AUC " << number(m.auc) << " [" << number(m.auc_ci_low) << ", "
              << number(m.auc_ci_high) << "]\n";
}

int run(int argc, char** argv)
{
    CLI::App app{"Transformer / logistic-regression classifier under the study's validation protocol"};
    std::string input;
    std::string label = "label";
    std::string id_column;
    std::vector<std::string> prefixes;
    std::string model_choice = "both";
    std::string out_dir = "tp53_classifier_out";
    std::string activation = "gelu";
    rl::protocol_options protocol;
    rl::transformer_options model;
    rl::training_options training;
    bool per_feature = false;
    int threads = 0;
    app.add_option("input", input, "CSV feature table (one row per patient)")->required()->check(CLI::ExistingFile);
    app.add_option("--label", label, "0/1 label column")->capture_default_str();
    app.add_option("--id", id_column, "patient id column (default: row number)");
    app.add_option("--token", prefixes, "column-name prefix forming one token (repeat); other columns form a last token");
    app.add_option("--model", model_choice, "transformer | logistic | mlp | both (transformer + logistic + mlp)")
        ->check(CLI::IsMember({"transformer", "logistic", "mlp", "both"}))
        ->capture_default_str();
    app.add_option("--seed", protocol.seed, "seed of splits, initialisation, shuffling and dropout")->capture_default_str();
    app.add_option("--folds", protocol.folds, "cross-validation folds")->capture_default_str();
    app.add_option("--test-fraction", protocol.test_fraction, "held-out test fraction")->capture_default_str();
    app.add_option("--epochs", training.epochs, "maximum epochs")->capture_default_str();
    app.add_option("--patience", training.patience, "early-stopping patience (0: off)")->capture_default_str();
    app.add_option("--batch-size", training.batch_size, "mini-batch size")->capture_default_str();
    app.add_option("--lr", training.optimizer.learning_rate, "AdamW learning rate")->capture_default_str();
    app.add_option("--weight-decay", training.optimizer.weight_decay, "AdamW weight decay")->capture_default_str();
    app.add_option("--d-model", model.d_model, "token width")->capture_default_str();
    app.add_option("--heads", model.heads, "attention heads")->capture_default_str();
    app.add_option("--layers", model.layers, "encoder layers")->capture_default_str();
    app.add_option("--d-feedforward", model.d_feedforward, "feed-forward width")->capture_default_str();
    app.add_option("--dropout", model.dropout, "dropout rate")->capture_default_str();
    app.add_option("--activation", activation, "gelu | relu")->capture_default_str();
    app.add_flag("--per-feature-tokens", per_feature, "FT-Transformer tokens (one per feature) instead of one per group");
    app.add_option("--top-k", protocol.preprocessing.top_k, "keep the k best features per token (0: all)")->capture_default_str();
    app.add_flag("--youden", protocol.youden_threshold,
                 "Youden-optimal threshold from each fold's inner validation split (else 0.5)");
    app.add_option("--selection-fraction", protocol.selection_fraction,
                   "share of each fold's training rows that chooses the early-stopping epoch (0: none)")
        ->capture_default_str();
    app.add_option("--threads", threads, "threads (0: OpenMP default)");
    app.add_option("--out", out_dir, "output directory")->capture_default_str();
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "No progress or summary lines on stderr (warnings and errors only)");
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "tp53_classifier")) {
        return *code;
    }
    std::ostream& info = rg_cli::info(quiet);

    try {
        rg::set_num_threads(threads);
        model.ffn_activation = rl::parse_activation(activation);
        model.tokenizer = per_feature ? rl::tokenizer_kind::per_feature : rl::tokenizer_kind::group_projection;
        const rg::io::csv_table table = rg::io::read_csv(input);
        const std::size_t label_col = table.column(label);
        const std::size_t id_col = id_column.empty() ? rg::io::csv_table::npos : table.column(id_column);

        // columns -> tokens: each prefix in order, then the remaining numeric columns
        std::vector<std::vector<std::size_t>> token_columns(prefixes.size() + 1);
        for (std::size_t c = 0; c < table.column_count(); ++c) {
            if (c == label_col || c == id_col) {
                continue;
            }
            if (!table.is_numeric_column(c)) {
                std::cerr << "skipping non-numeric column '" << table.header[c] << "'\n";
                continue;
            }
            std::size_t token = prefixes.size();
            for (std::size_t p = 0; p < prefixes.size(); ++p) {
                if (table.header[c].rfind(prefixes[p], 0) == 0) {
                    token = p;
                    break;
                }
            }
            token_columns[token].push_back(c);
        }
        std::vector<std::size_t> columns;
        std::vector<rl::token_group> groups;
        for (std::size_t t = 0; t < token_columns.size(); ++t) {
            if (token_columns[t].empty()) {
                if (t < prefixes.size()) {
                    throw rg::invalid_argument("[radiogenomics.examples.tp53_classifier] token prefix '" + prefixes[t] +
                                               "': got no matching column, expected at least one.");
                }
                continue;
            }
            groups.push_back({t < prefixes.size() ? prefixes[t] : std::string("other"),
                              static_cast<rl::index>(columns.size()), static_cast<rl::index>(token_columns[t].size())});
            columns.insert(columns.end(), token_columns[t].begin(), token_columns[t].end());
        }
        if (columns.empty()) {
            throw rg::invalid_argument("[radiogenomics.examples.tp53_classifier] features: got no numeric column, expected at least one.");
        }
        const rl::matrix<double> x = table.numeric_matrix(columns);
        std::vector<int> y;
        for (std::size_t r = 0; r < table.row_count(); ++r) {
            const double v = table.number(r, label_col);
            if (v != 0.0 && v != 1.0) {
                throw rg::invalid_argument("[radiogenomics.examples.tp53_classifier] " + input + " line " +
                                           std::to_string(table.line_numbers[r]) + ", label '" + table.rows[r][label_col] +
                                           "': expected 0 or 1.");
            }
            y.push_back(static_cast<int>(v));
        }
        info << table.row_count() << " patients, " << columns.size() << " features in " << groups.size() << " tokens\n";
        protocol.progress = [&info](const std::string& message) { info << message << "\n"; };

        std::filesystem::create_directories(out_dir);
        rg::io::csv_writer metrics({"model", "fold", "split", "accuracy", "precision", "recall", "specificity", "f1",
                                        "auc", "auc_ci_low", "auc_ci_high", "threshold"});
        rg::io::csv_writer confusion({"model", "fold", "split", "tn", "fp", "fn", "tp"});
        rg::io::csv_writer history({"model", "fold", "epoch", "train_loss", "validation_loss"});

        std::vector<std::pair<std::string, rl::learner>> learners;
        if (model_choice == "transformer" || model_choice == "both") {
            learners.emplace_back("transformer", rl::transformer_learner(model, training));
        }
        if (model_choice == "logistic" || model_choice == "both") {
            learners.emplace_back("logistic", rl::logistic_learner({}));
        }
        if (model_choice == "mlp" || model_choice == "both") {
            rl::mlp_options mlp;
            mlp.hidden = model.d_model;
            mlp.dropout = model.dropout;
            mlp.hidden_activation = model.ffn_activation;
            learners.emplace_back("mlp", rl::mlp_learner(mlp, training));
        }
        for (const auto& [name, learner] : learners) {
            info << "== " << name << "\n";
            const rl::protocol_result result = rl::run_protocol(x, y, groups, protocol, learner);
            std::size_t best_fold = 0;
            for (std::size_t f = 0; f < result.folds.size(); ++f) {
                const auto& fold = result.folds[f];
                const std::string k = std::to_string(f + 1);
                add_metrics(metrics, confusion, name, k, "validation", fold.validation);
                add_metrics(metrics, confusion, name, k, "test", fold.test);
                print_metrics(name, "fold " + k + " validation", fold.validation);
                for (std::size_t e = 0; e < fold.model.history.train_loss.size(); ++e) {
                    history.add_row({name, k, std::to_string(e + 1), number(fold.model.history.train_loss[e]),
                                     e < fold.model.history.validation_loss.size() ? number(fold.model.history.validation_loss[e]) : ""});
                }
                if (fold.model.save) {
                    fold.model.save(out_dir + "/" + name + "_fold" + k + ".weights");
                }
                if (fold.model.history.best_validation_loss < result.folds[best_fold].model.history.best_validation_loss) {
                    best_fold = f;
                }
            }
            add_metrics(metrics, confusion, name, "ensemble", "test", result.ensemble_test);
            print_metrics(name, "ensemble test", result.ensemble_test);
            const auto& chosen = result.folds[best_fold];
            if (chosen.model.embed) {
                const rl::matrix<double> features = chosen.model.embed(chosen.preprocessor.transform(x));
                std::vector<std::string> header{"id", "label_seen"};
                std::vector<char> seen(static_cast<std::size_t>(features.rows()), 0);
                for (const auto* rows : {&chosen.rows.train, &chosen.rows.selection}) {
                    for (const auto r : *rows) {
                        seen[static_cast<std::size_t>(r)] = 1;
                    }
                }
                for (rl::index j = 0; j < features.cols(); ++j) {
                    header.push_back("deep_" + std::to_string(j));
                }
                rg::io::csv_writer deep(header);
                for (rl::index i = 0; i < features.rows(); ++i) {
                    std::vector<std::string> row{id_col == rg::io::csv_table::npos ? std::to_string(i + 1)
                                                                                        : table.rows[static_cast<std::size_t>(i)][id_col],
                                                 seen[static_cast<std::size_t>(i)] != 0 ? "1" : "0"};
                    for (rl::index j = 0; j < features.cols(); ++j) {
                        row.push_back(rg::io::format_number(features(i, j)));
                    }
                    deep.add_row(row);
                }
                deep.save(out_dir + "/deep_features.csv");
                info << "deep features from fold " << best_fold + 1 << " -> " << out_dir
                          << "/deep_features.csv (label_seen = 1: that model saw the row's label)\n";
            }
        }
        metrics.save(out_dir + "/metrics.csv");
        confusion.save(out_dir + "/confusion.csv");
        history.save(out_dir + "/history.csv");
    } catch (const std::exception& e) {
        return rg_cli::report_error("tp53_classifier", e);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return rg_cli::guarded_main("tp53_classifier", argc, argv, run); }
