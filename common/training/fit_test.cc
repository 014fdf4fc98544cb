// File: common/training/fit_test.cc

#include "common/training/fit.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/core/random.h"
#include "common/nn/layers.h"
#include "common/nn/model.h"
#include "gtest/gtest.h"

namespace dl {
namespace nn {
namespace {

// m examples (m, 4): class 1 when the first feature is positive.
void Points(int m, uint32_t seed, Array<float>* X, std::vector<int>* y) {
  RandomState rng(seed);
  *X = Array<float>({m, 4});
  y->assign(m, 0);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < 4; ++j) {
      X->data()[i * 4 + j] = static_cast<float>(rng.standard_normal());
    }
    (*y)[i] = X->data()[i * 4] > 0 ? 1 : 0;
  }
}

void Build(Model<float>* model) {
  model->Input({4});
  model->Add(Dense(8));
  model->Add(ReLU());
  model->Add(Dense(2));
  model->Compile(Adam(0.01), Loss::kSoftmaxCrossEntropy);
}

TEST(Fit, IsTrainEpochThenEvaluateEveryEpoch) {
  Array<float> X, Xt;
  std::vector<int> y, yt;
  Points(64, 1, &X, &y);
  Points(20, 2, &Xt, &yt);

  Model<float> by_hand("", 3);
  Build(&by_hand);
  RandomState rng_hand(5);
  std::vector<double> loss, val_accuracy;
  for (int epoch = 0; epoch < 4; ++epoch) {
    loss.push_back(by_hand.TrainEpoch(X, y, 16, rng_hand).loss);
    val_accuracy.push_back(by_hand.Evaluate(Xt, yt, 7).accuracy);
  }

  Model<float> model("", 3);
  Build(&model);
  RandomState rng(5);
  FitOptions<float> options;
  options.epochs = 4;
  options.batch_size = 16;
  options.validation_X = &Xt;
  options.validation_labels = &yt;
  options.validation_batch_size = 7;
  options.progress = "";
  std::vector<int> begun;
  options.on_epoch_begin = [&](int epoch) { begun.push_back(epoch); };
  const History h = Fit(model, X, y, rng, options);

  EXPECT_EQ(h.epochs(), 4);
  EXPECT_EQ(h.loss, loss);
  EXPECT_EQ(h.val_accuracy, val_accuracy);
  EXPECT_EQ(h.accuracy.size(), 4u);
  EXPECT_EQ(h.val_loss.size(), 4u);
  EXPECT_EQ(begun, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_LT(h.loss.back(), h.loss.front());
}

TEST(Fit, RejectsBadOptions) {
  Array<float> X;
  std::vector<int> y;
  Points(8, 1, &X, &y);
  Model<float> model;
  Build(&model);
  RandomState rng(0);
  FitOptions<float> options;
  options.progress = "";
  options.epochs = 0;
  EXPECT_THROW(Fit(model, X, y, rng, options), std::invalid_argument);
  options.epochs = 1;
  options.validation_X = &X;  // without labels
  EXPECT_THROW(Fit(model, X, y, rng, options), std::invalid_argument);
}

History Handmade() {
  History h;
  h.loss = {0.69314, 0.5};
  h.accuracy = {0.5, 0.75};
  h.val_loss = {0.7, 0.6};
  h.val_accuracy = {0.52, 0.8};
  h.train_cpu_seconds = 3.1;
  return h;
}

TEST(EpochTable, OneLinePerEpochThenTheTime) {
  EXPECT_EQ(EpochTable(Handmade()),
            "  epoch  1  cost 0.6931  train accuracy 50.0 %  test accuracy "
            "52.0 %\n"
            "  epoch  2  cost 0.5000  train accuracy 75.0 %  test accuracy "
            "80.0 %\n"
            "Training: 3.1 s of CPU time, 1.55 s per epoch\n");
  History diverged = Handmade();
  diverged.loss.back() = std::nan("");
  EXPECT_NE(EpochTable(diverged).find("warning: the cost is nan"),
            std::string::npos);
}

TEST(KerasEpochLog, EveryFifthEpochOfALongRun) {
  EXPECT_EQ(KerasEpochLog(Handmade()),
            "  Epoch   1/2 - loss: 0.6931 - accuracy: 0.5000 - test_loss: "
            "0.7000 - test_accuracy: 0.5200\n"
            "  Epoch   2/2 - loss: 0.5000 - accuracy: 0.7500 - test_loss: "
            "0.6000 - test_accuracy: 0.8000\n");
  History long_run;
  for (int e = 0; e < 25; ++e) {
    long_run.loss.push_back(1);
    long_run.accuracy.push_back(0);
  }
  const std::string log = KerasEpochLog(long_run);
  EXPECT_NE(log.find("Epoch   1/25"), std::string::npos);
  EXPECT_EQ(log.find("Epoch   2/25"), std::string::npos);
  EXPECT_NE(log.find("Epoch   5/25"), std::string::npos);
  EXPECT_NE(log.find("Epoch  25/25"), std::string::npos);
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteCurves, CostAndAccuracyWithTheTestSet) {
  const std::string prefix = ::testing::TempDir() + "/lenet_";
  ASSERT_TRUE(WriteCurves(Handmade(), "LeNet-5", prefix).ok());
  const std::string cost = Read(prefix + "cost.svg");
  const std::string accuracy = Read(prefix + "accuracy.svg");
  EXPECT_NE(cost.find("LeNet-5: cost per epoch"), std::string::npos);
  EXPECT_NE(cost.find(">test<"), std::string::npos);
  EXPECT_NE(accuracy.find("LeNet-5: accuracy per epoch"), std::string::npos);
  EXPECT_FALSE(WriteCurves(Handmade(), "x", "/nonexistent/dir/").ok());
}

}  // namespace
}  // namespace nn
}  // namespace dl
