package dev.scoresde.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoresde.EngineSetup;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.sampling.fast.DpmSolverCoefficients;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.sampling.fast.NoiseLevels;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Npy;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Java ÷ PyTorch on the same network (issue 16, item 3): an imported reference checkpoint's network in this
 * project's stack (DJL + libtorch, the served path {@link LoadedModel#scoreModel()}) against the reference
 * implementation's own model class in PyTorch eager mode ({@code tools/torch-bench/bench.py}, run as a child
 * process), with the same weights (the checkpoint's EMA), thread count and inputs, in one run: forward at
 * batch 1, 16 and 64 (no grad on both sides), a 20-step DPM-Solver++(2M) sample of 16 images (Java: the
 * project's {@link DpmSolverPlusPlus}; Python: the same 20 evaluations of the reference's score function with
 * the coefficients computed here), and the raw 3×3-conv rate of each stack. Prints a markdown table of
 * medians and the throughput ratio Java ÷ PyTorch (&gt; 1: Java faster). Not a test. Run with:
 * <pre>
 * ./mvnw -B -o -q -DskipTests package
 * mkdir -p target/bench-lib && (cd target/bench-lib && unzip -q -o -j ../score-sde.jar 'BOOT-INF/lib/*')
 * java -cp 'target/classes:target/bench-lib/*' dev.scoresde.bench.TorchComparisonBench \
 *   --model=/work/ref-out/import/cifar10-ncsnpp-ve \
 *   --checkpoint=/work/ref-out/full/ve-cifar10_ncsnpp_continuous/checkpoint.pth \
 *   --reference=/work/ref/score_sde_pytorch --threads=1 --seconds=20
 * </pre>
 * Options: {@code --python=/usr/bin/python3}, {@code --script=tools/torch-bench/bench.py},
 * {@code --min-reps=3} (timed repetitions per forward row, after one warm-up), {@code --sample-reps=1},
 * {@code --batches=1,16,64}, {@code --seed=0}. (The classpath can also come from {@code dependency:build-classpath}
 * where its plugin resolves offline.) Results: docs/benchmarks.md.
 */
public final class TorchComparisonBench {
  private static final int SAMPLE_BATCH = 16;
  private static final int SAMPLE_STEPS = 20;

  private TorchComparisonBench() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> o = options(argv);
    for (String k : new String[] {"model", "checkpoint", "reference"}) {
      if (!o.containsKey(k)) {
        throw new IllegalArgumentException("--model=DIR --checkpoint=FILE.pth --reference=DIR are required");
      }
    }
    int threads = Integer.parseInt(o.getOrDefault("threads", "1"));
    double seconds = Double.parseDouble(o.getOrDefault("seconds", "10"));
    int minReps = Integer.parseInt(o.getOrDefault("min-reps", "3"));
    int sampleReps = Integer.parseInt(o.getOrDefault("sample-reps", "1"));
    long seed = Long.parseLong(o.getOrDefault("seed", "0"));
    int[] batches = java.util.Arrays.stream(o.getOrDefault("batches", "1,16,64").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    int maxBatch = java.util.Arrays.stream(batches).max().orElseThrow();
    // Before the engine loads: DJL reads these once (as EngineSetup does for the service).
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    EngineSetup.offlineByDefault();

    Path model = Path.of(o.get("model"));
    Path work = Files.createTempDirectory("torch-bench");
    ObjectMapper json = new ObjectMapper();
    PrintOut out = new PrintOut();
    out.line("load average at start %.2f on %d cores; threads %d (intra-op), 1 (inter-op) on both sides", loadAverage(),
        Runtime.getRuntime().availableProcessors(), threads);
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(NetworkFactory.NETWORKS).load(model, manager);
      NetworkScoreModel score = loaded.scoreModel();
      Sde sde = score.sde();
      String config = loaded.card().network().reference().name();
      Shape one = loaded.card().data().batchShape(1);

      // Inputs both sides use: x ~ the marginal at t, t uniform in [eps, 1]; the sampler's prior draw.
      NDArray t = Scalars.add(Scalars.mul(Rng.of(seed, maxBatch).uniform(manager, new Shape(maxBatch)),
          1 - sde.samplingEps()), sde.samplingEps()).toType(DataType.FLOAT32, false);
      NDArray x = Rng.of(seed + 1, maxBatch).normal(manager, new Shape(maxBatch).addAll(one.slice(1)))
          .mul(sde.marginalStd(manager.zeros(new Shape(maxBatch).addAll(one.slice(1))), t));
      Rng sampleRng = Rng.of(seed + 2, SAMPLE_BATCH);
      NDArray xT = sde.priorSample(manager, new Shape(SAMPLE_BATCH).addAll(one.slice(1)), sampleRng);
      Npy.writeFloat32(x, work.resolve("x.npy"));
      Npy.writeFloat32(t, work.resolve("t.npy"));
      Npy.writeFloat32(xT, work.resolve("xT.npy"));
      double eps = sde.samplingEps();
      DpmSolverPlusPlus sampler = new DpmSolverPlusPlus(2, false, SAMPLE_STEPS, TimeGridKind.LOG_SNR, eps,
          Denoising.NONE);
      TimeGrid grid = TimeGridKind.LOG_SNR.grid(sde, eps, SAMPLE_STEPS + 1);

      Map<String, Object> job = new LinkedHashMap<>();
      job.put("threads", threads);
      job.put("seconds", seconds);
      job.put("min_reps", minReps);
      job.put("sample_reps", sampleReps);
      job.put("batches", batches);
      job.put("dir", work.toString());
      job.put("config", config);
      job.put("schedule", schedule(sde, grid, sampler.order()));
      Path jobFile = work.resolve("job.json");
      json.writerWithDefaultPrettyPrinter().writeValue(jobFile.toFile(), job);

      // 1. PyTorch, alone on the machine (this JVM idles meanwhile).
      long py0 = System.nanoTime();
      JsonNode torch = runPython(o, jobFile, threads, json);
      out.line("PyTorch half done in %.0f s; load average %.2f", (System.nanoTime() - py0) / 1e9, loadAverage());

      // 2. Java, right after.
      double javaConv = rawConvGflops(manager, Math.min(Math.max(seconds, 2), 3));
      Map<Integer, double[]> javaFwd = new LinkedHashMap<>();
      double parity16 = Double.NaN;
      for (int b : batches) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray xb = x.get("0:" + b);
          NDArray tb = t.get("0:" + b);
          xb.attach(scope);
          tb.attach(scope);
          double[] runs = timed(scope, () -> score.score(xb, tb), seconds, minReps, 1);
          javaFwd.put(b, runs);
          out.line("java forward batch %d: median %.3f s runs %s", b, median(runs), fmt(runs));
          if (b == SAMPLE_BATCH && Files.exists(work.resolve("out16_torch.npy"))) {
            try (NDManager s = scope.newSubManager()) {
              parity16 = relDiff(score.score(xb, tb), Npy.read(work.resolve("out16_torch.npy"), s));
            }
          }
        }
      }
      double[] javaSample = new double[0];
      double sampleParity = Double.NaN;
      if (sampleReps > 0) {
        javaSample = new double[sampleReps];
        for (int r = 0; r < sampleReps; r++) {
          try (NDManager scope = manager.newSubManager()) {
            NDArray start = xT.duplicate();
            start.attach(scope);
            long s0 = System.nanoTime();
            NDArray samples = sampler.sample(score, sde, start, SamplingContext.of(Rng.of(seed + 2, SAMPLE_BATCH)))
                .samples();
            samples.toFloatArray();
            javaSample[r] = (System.nanoTime() - s0) / 1e9;
            if (r == 0 && Files.exists(work.resolve("sample_torch.npy"))) {
              sampleParity = relDiff(samples, Npy.read(work.resolve("sample_torch.npy"), scope));
            }
          }
        }
        out.line("java sample %dx%d NFE: runs %s", SAMPLE_BATCH, SAMPLE_STEPS, fmt(javaSample));
      }
      double loadEnd = loadAverage();

      // 3. The table.
      double torchConv = torch.get("raw_conv").get("gflops").asDouble();
      out.line("");
      out.line("model %s (%s), %d parameters (PyTorch counts %d); Java: DJL %s / libtorch bundled with DJL; Python: torch %s",
          loaded.card().name(), model, dev.scoresde.nn.Networks.parameterCount(loaded.network()),
          torch.get("params").asLong(), ai.djl.engine.Engine.getDjlVersion(), torch.get("torch_version").asText());
      out.line("threads %d; load average at the end %.2f", threads, loadEnd);
      out.line("");
      out.line("| row | Java s | PyTorch s | Java ÷ PyTorch (throughput) | GFLOP per call | Java GFLOP/s (share of raw conv) | PyTorch GFLOP/s (share of raw conv) |");
      out.line("|---|---|---|---|---|---|---|");
      double convFlop = 2.0 * 64 * 64 * 64 * 9 * 32 * 32;
      out.line("| raw 3×3 conv 64→64, 32×32, batch 64 | %.4f | %.4f | %.2f | %.2f | %.1f | %.1f |",
          convFlop / javaConv / 1e9, convFlop / torchConv / 1e9, javaConv / torchConv, convFlop / 1e9, javaConv, torchConv);
      for (int b : batches) {
        JsonNode r = torch.get("forward").get(Integer.toString(b));
        double tp = r.get("median_s").asDouble();
        double tj = median(javaFwd.get(b));
        double flops = r.get("flops").get("conv").asDouble() + r.get("flops").path("matmul").asDouble(0);
        out.line("| forward batch %d (%d/%d reps) | %.3f | %.3f | %.2f | %.1f | %.1f (%.0f%%) | %.1f (%.0f%%) |", b,
            javaFwd.get(b).length, r.get("runs_s").size(), tj, tp, tp / tj, flops / 1e9,
            flops / tj / 1e9, 100 * flops / tj / 1e9 / javaConv, flops / tp / 1e9, 100 * flops / tp / 1e9 / torchConv);
      }
      if (sampleReps > 0) {
        JsonNode r = torch.get("sample");
        double tp = r.get("median_s").asDouble();
        double tj = median(javaSample);
        JsonNode f16 = torch.get("forward").get(Integer.toString(SAMPLE_BATCH));
        String flopCols = "| – | – | – |";
        if (f16 != null) {
          double flops = SAMPLE_STEPS * (f16.get("flops").get("conv").asDouble() + f16.get("flops").path("matmul").asDouble(0));
          flopCols = String.format(Locale.ROOT, "| %.1f | %.1f (%.0f%%) | %.1f (%.0f%%) |", flops / 1e9, flops / tj / 1e9,
              100 * flops / tj / 1e9 / javaConv, flops / tp / 1e9, 100 * flops / tp / 1e9 / torchConv);
        }
        out.line("| DPM-Solver++(2M) sample, %d images, %d NFE (%d/%d reps) | %.2f | %.2f | %.2f %s", SAMPLE_BATCH,
            SAMPLE_STEPS, javaSample.length, r.get("runs_s").size(), tj, tp, tp / tj, flopCols);
      }
      out.line("");
      out.line("agreement: batch-16 scores max|Java − PyTorch| / max|PyTorch| = %.2e; 20-step samples %.2e", parity16,
          sampleParity);
      JsonNode f1 = torch.get("forward").get("1");
      if (f1 != null) {
        out.line("FLOPs per image (PyTorch dispatch-level count, 2 per multiply-add): conv %.2f G, matmul %.2f G",
            f1.get("flops").get("conv").asDouble() / 1e9, f1.get("flops").path("matmul").asDouble(0) / 1e9);
      }
    }
  }

  /** The DPM-Solver++(2M) steps exactly as {@link DpmSolverPlusPlus} takes them, for the Python loop. */
  static List<Map<String, Object>> schedule(Sde sde, TimeGrid times, int order) {
    NoiseLevels levels = new NoiseLevels(sde);
    double[] lambdas = new double[order];
    List<Map<String, Object>> steps = new ArrayList<>();
    int n = times.size() - 1;
    for (int i = 0; i < n; i++) {
      double s = times.get(i);
      double t = times.get(i + 1);
      int k = Math.min(order, i + 1); // 20 steps ≥ 15: no lower-order final steps
      System.arraycopy(lambdas, 0, lambdas, 1, order - 1);
      lambdas[0] = levels.lambda(s);
      double[] c = DpmSolverCoefficients.ode(k, lambdas, levels.lambda(t), levels.alpha(t), levels.sigma(t),
          levels.sigma(s));
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("s", (double) (float) s);
      step.put("sigma_s", sde.marginalStd(s));
      step.put("alpha_s", sde.meanCoefficient(s));
      step.put("c", c);
      steps.add(step);
    }
    return steps;
  }

  private static JsonNode runPython(Map<String, String> o, Path jobFile, int threads, ObjectMapper json)
      throws IOException, InterruptedException {
    List<String> cmd = List.of(o.getOrDefault("python", "/usr/bin/python3"),
        o.getOrDefault("script", "tools/torch-bench/bench.py"), "--reference", o.get("reference"),
        "--checkpoint", o.get("checkpoint"), "--job", jobFile.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    byte[] stdout = p.getInputStream().readAllBytes();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited with " + rc);
    }
    String text = new String(stdout, StandardCharsets.UTF_8).trim();
    return json.readTree(text.substring(text.lastIndexOf("\n{") + 1));
  }

  /** Seconds per call of body, after warm-up calls, until both minReps calls and seconds have passed. */
  private static double[] timed(NDManager m, Supplier<NDArray> body, double seconds, int minReps, int warmup) {
    for (int i = 0; i < warmup; i++) {
      try (NDManager s = m.newSubManager()) {
        body.get();
      }
    }
    List<Double> runs = new ArrayList<>();
    long start = System.nanoTime();
    while (runs.size() < minReps || (System.nanoTime() - start) / 1e9 < seconds) {
      try (NDManager s = m.newSubManager()) {
        long t0 = System.nanoTime();
        body.get();
        runs.add((System.nanoTime() - t0) / 1e9);
      }
    }
    return runs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double rawConvGflops(NDManager m, double seconds) {
    try (NDManager s = m.newSubManager()) {
      NDArray x = s.randomNormal(new Shape(64, 64, 32, 32));
      NDArray w = s.randomNormal(new Shape(64, 64, 3, 3));
      double[] runs = timed(s, () -> {
        NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
        y.sum().getFloat();
        return y;
      }, seconds, 10, 3);
      return 2.0 * 64 * 64 * 64 * 9 * 32 * 32 / median(runs) / 1e9;
    }
  }

  private static double relDiff(NDArray a, NDArray b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double diff = 0;
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      max = Math.max(max, Math.abs(y[i]));
    }
    return diff / max;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  private static String fmt(double[] v) {
    StringBuilder b = new StringBuilder("[");
    for (double d : v) {
      b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", d));
    }
    return b.append("]").toString();
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static Map<String, String> options(String[] argv) {
    Map<String, String> o = new LinkedHashMap<>();
    for (String a : argv) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("options are --key=value, got " + a);
      }
      o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return o;
  }

  private static final class PrintOut {
    void line(String format, Object... args) {
      System.out.println(String.format(Locale.ROOT, format, args));
      System.out.flush();
    }
  }
}
