package dev.scoresde.bench;

import static dev.scoresde.bench.TorchComparisonBench.line;
import static dev.scoresde.bench.TorchComparisonBench.load;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import dev.scoresde.bench.JavaSide.ConvShape;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.tensor.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@link TorchComparisonBench}, run in turns: one untimed warm-up call of each row on both stacks, then
 * {@code rounds} rounds in which every row runs on both (the stack that goes first alternates from round to round).
 */
final class Rows {
  /** One row: what it runs on each stack, and what was measured. */
  private final class Row {
    final String label;
    final Java java;
    final Map<String, Object> torchCommand;
    final boolean warmup;
    final Timing javaTiming = new Timing();
    final Timing torchTiming = new Timing();
    final List<Timing> javaShapes = new ArrayList<>(); // conv rows: per shape, over all rounds
    final List<Timing> torchShapes = new ArrayList<>();
    JsonNode lastTorch;
    int reps = 1;

    Row(String label, Java java, Map<String, Object> torchCommand, boolean warmup) {
      this.label = label;
      this.java = java;
      this.torchCommand = torchCommand;
      this.warmup = warmup;
    }

    void runJava(int n, boolean record) throws IOException {
      List<Timing> shapes = new ArrayList<>();
      Timing t = java.run(n, shapes);
      if (record) {
        javaTiming.addAll(t);
        merge(javaShapes, shapes);
      }
    }

    void runTorch(int n, boolean record) throws IOException {
      Map<String, Object> cmd = new LinkedHashMap<>(torchCommand);
      cmd.put("reps", n);
      JsonNode answer = torch.call(cmd);
      lastTorch = answer;
      if (record) {
        torchTiming.addAll(answer);
        if (answer.has("per_shape_s")) {
          List<Timing> shapes = new ArrayList<>();
          for (JsonNode per : answer.get("per_shape_s")) {
            Timing s = new Timing();
            for (JsonNode v : per) {
              s.add(v.asDouble(), Double.NaN);
            }
            shapes.add(s);
          }
          merge(torchShapes, shapes);
        }
      }
    }
  }

  /** The Java side of a row: n calls, per-shape times for conv rows. */
  @FunctionalInterface
  private interface Java {
    Timing run(int n, List<Timing> perShape) throws IOException;
  }

  private final JavaSide java;
  private final TorchWorker torch;
  private final int rounds;
  private final double seconds;
  private final List<ConvShape> convs;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private float[][] javaSample = new float[1][];

  Rows(JavaSide java, TorchWorker torch, int rounds, double seconds, List<ConvShape> convs) {
    this.java = java;
    this.torch = torch;
    this.rounds = rounds;
    this.seconds = seconds;
    this.convs = convs;
  }

  void run(List<String> which, int[] batches, int trainBatch, DpmSolverPlusPlus sampler, NDArray xT, long seed)
      throws IOException {
    if (which.contains("conv")) {
      for (int b : batches) {
        addConv(b, false);
      }
      addConv(trainBatch, true);
    }
    if (which.contains("forward")) {
      for (int b : batches) {
        rows.put("forward " + b, new Row("forward batch " + b, (n, s) -> java.forward(b, n),
            Map.of("op", "forward", "batch", b), true));
      }
    }
    if (which.contains("train")) {
      rows.put("train", new Row("training step batch " + trainBatch + " (loss, backward, Adam, EMA)",
          (n, s) -> java.train(trainBatch, n), Map.of("op", "train", "batch", trainBatch), true));
    }
    if (which.contains("sample")) {
      rows.put("sample", new Row("DPM-Solver++(2M) sample, 16 images, 20 NFE",
          (n, s) -> java.sample(sampler, xT, seed, n, javaSample), Map.of("op", "sample"), false));
    }
    for (Row r : rows.values()) {
      if (!r.warmup) {
        continue;
      }
      long t0 = System.nanoTime();
      r.runJava(1, false);
      double tj = (System.nanoTime() - t0) / 1e9;
      r.runTorch(1, false);
      double tp = r.lastTorch.get("wall_s").get(0).asDouble();
      r.reps = (int) Math.max(1, Math.min(50, Math.round(seconds / Math.max(tj, tp))));
      line("warm-up %s: Java %.3f s, PyTorch %.3f s; %d call(s) per round", r.label, tj, tp, r.reps);
    }
    for (int round = 0; round < rounds; round++) {
      for (Row r : rows.values()) {
        if (round % 2 == 0) {
          r.runJava(r.reps, true);
          r.runTorch(r.reps, true);
        } else {
          r.runTorch(r.reps, true);
          r.runJava(r.reps, true);
        }
      }
      line("round %d of %d done, load average %.2f", round + 1, rounds, load());
    }
  }

  private void addConv(int batch, boolean backward) {
    List<Map<String, Object>> shapes = new ArrayList<>();
    for (ConvShape c : convs) {
      shapes.add(Map.of("in_chw", c.inChw(), "weight", c.weight(), "padding", c.padding()));
    }
    String key = (backward ? "conv f+b " : "conv fwd ") + batch;
    rows.put(key, new Row("raw 3×3 conv, the U-Net's shapes, batch " + batch + (backward ? ", forward+backward" : ""),
        (n, perShape) -> java.conv(batch, backward, convs, n, perShape),
        Map.of("op", "conv", "batch", batch, "backward", backward, "shapes", shapes), true));
  }

  /** Σ count · median time of each shape: the network's 3×3 convolutions alone, one pass. */
  private double convSeconds(List<Timing> perShape) {
    double s = 0;
    for (int i = 0; i < convs.size(); i++) {
      s += convs.get(i).count() * perShape.get(i).wall();
    }
    return s;
  }

  private double convFlops(int batch, boolean backward) {
    double f = 0;
    for (ConvShape c : convs) {
      f += c.count() * c.flops(batch);
    }
    return backward ? 3 * f : f;
  }

  void print(int[] batches, int trainBatch, Path work) throws IOException {
    line("| row | Java s | PyTorch s | Java ÷ PyTorch | Java CPU s | PyTorch CPU s | GFLOP per call "
        + "| Java GFLOP/s (U-Net ÷ raw conv) | PyTorch GFLOP/s (U-Net ÷ raw conv) |");
    line("|---|---|---|---|---|---|---|---|---|");
    Map<String, double[]> raw = new LinkedHashMap<>(); // key → {java rate, torch rate}
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row r = e.getValue();
      String key = e.getKey();
      double flops;
      double tj;
      double tp;
      String share = "";
      if (key.startsWith("conv")) {
        boolean backward = key.startsWith("conv f+b");
        int b = Integer.parseInt(key.substring(key.lastIndexOf(' ') + 1));
        flops = convFlops(b, backward);
        tj = convSeconds(r.javaShapes);
        tp = convSeconds(r.torchShapes);
        raw.put(key, new double[] {flops / tj, flops / tp});
        double ratio = r.torchTiming.wall() / r.javaTiming.wall(); // the same shapes, once each, per call
        line("| %s (%d/%d passes) | %.4f | %.4f | %.2f | %.4f | %.4f | %.1f | %.1f | %.1f |", r.label,
            r.javaTiming.size(), r.torchTiming.size(), tj, tp, ratio, r.javaTiming.cpu() * tj / r.javaTiming.wall(),
            r.torchTiming.cpu() * tp / r.torchTiming.wall(), flops / 1e9, flops / tj / 1e9, flops / tp / 1e9);
        continue;
      }
      tj = r.javaTiming.wall();
      tp = r.torchTiming.wall();
      String rawKey;
      if (key.startsWith("forward")) {
        int b = Integer.parseInt(key.substring(8));
        flops = total(r.lastTorch.get("flops"));
        rawKey = "conv fwd " + b;
      } else if (key.equals("train")) {
        flops = total(r.lastTorch.get("flops"));
        rawKey = "conv f+b " + trainBatch;
      } else {
        Row f16 = rows.get("forward " + 16);
        flops = f16 == null ? Double.NaN : 20 * total(f16.lastTorch.get("flops"));
        rawKey = "conv fwd 16";
      }
      double[] rr = raw.getOrDefault(rawKey, new double[] {Double.NaN, Double.NaN});
      line("| %s (%d/%d calls) | %.3f | %.3f | %.2f | %.3f | %.3f | %.1f | %.1f (%.0f%%) | %.1f (%.0f%%) |", r.label,
          r.javaTiming.size(), r.torchTiming.size(), tj, tp, tp / tj, r.javaTiming.cpu(), r.torchTiming.cpu(),
          flops / 1e9, flops / tj / 1e9, 100 * flops / tj / rr[0], flops / tp / 1e9, 100 * flops / tp / rr[1]);
    }
    line("");
    line("Java ÷ PyTorch is PyTorch's time over Java's (> 1: Java faster). CPU s: process CPU time per call. "
        + "Raw conv rows: the network's dense 3×3 convolutions, each shape run bare as often as one pass runs it.");
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      line("%s: Java %s; PyTorch %s", e.getKey(), e.getValue().javaTiming.describe(),
          e.getValue().torchTiming.describe());
    }
    Row train = rows.get("train");
    if (train != null) {
      line("PyTorch training losses %s", train.lastTorch.get("loss"));
    }
    Row f16 = rows.get("forward 16");
    if (f16 != null && Files.exists(work.resolve("out16_torch.npy"))) {
      try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
        line("agreement: batch-16 scores max|Java − PyTorch| / max|PyTorch| = %.2e",
            relDiff(java.scores(16), Npy.read(work.resolve("out16_torch.npy"), m).toFloatArray()));
      }
    }
    if (javaSample[0] != null && Files.exists(work.resolve("sample_torch.npy"))) {
      try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
        line("agreement: 20-step samples %.2e",
            relDiff(javaSample[0], Npy.read(work.resolve("sample_torch.npy"), m).toFloatArray()));
      }
    }
  }

  /** One profiled batch-16 forward and one training step per stack, traces in dir, and their summary. */
  void profile(Path dir, int trainBatch) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (String what : new String[] {"forward", "train"}) {
      int b = what.equals("train") ? trainBatch : 16;
      Path j = dir.resolve("java-" + what + b + ".json").toAbsolutePath();
      Path p = dir.resolve("torch-" + what + b + ".json").toAbsolutePath();
      java.profile(what, b, j);
      torch.call(Map.of("op", "profile", "what", what, "batch", b, "out", p.toString()));
      Process summary = new ProcessBuilder("/usr/bin/python3", "tools/torch-bench/trace_summary.py", j.toString(),
          p.toString()).inheritIO().start();
      summary.waitFor();
    }
  }

  private static double total(JsonNode flops) {
    return flops.path("conv").asDouble(0) + flops.path("matmul").asDouble(0);
  }

  private static void merge(List<Timing> into, List<Timing> from) {
    for (int i = 0; i < from.size(); i++) {
      if (into.size() <= i) {
        into.add(new Timing());
      }
      into.get(i).addAll(from.get(i));
    }
  }

  private static double relDiff(float[] x, float[] y) {
    double diff = 0;
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      max = Math.max(max, Math.abs(y[i]));
    }
    return diff / max;
  }
}
