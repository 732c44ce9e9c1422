package dev.scoresde.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.EngineSetup;
import dev.scoresde.ScoreSdeApplication;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.GuidanceMode;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ServedModel;
import dev.scoresde.tensor.Rng;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The default request, timed (issue 16, item 4): {@code POST /v1/models/{m}/samples} with only {@code n} and
 * {@code classLabel} (so the model's served defaults), {@code Accept: image/png}, against the real server started
 * in this JVM on a free port, and right after each request the same sampling run in-process on the same served
 * model, with the same settings and guidance, its network calls timed one by one. Rounds alternate between the
 * models; medians over the rounds after one warm-up round. Columns: HTTP wall time; the in-process run; the time
 * inside the network (the guided score: both classifier-free branches in one call, or the score plus the
 * classifier's gradient); and the share of the HTTP time spent outside the network (HTTP, queue, PNG
 * encoding, sampler arithmetic). Not a test. Run with:
 * <pre>
 * ./mvnw -B -o -q -DskipTests package
 * mkdir -p target/bench-lib && (cd target/bench-lib && unzip -q -o -j ../score-sde.jar 'BOOT-INF/lib/*')
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp 'target/classes:target/bench-lib/*' dev.scoresde.bench.DefaultRequestBench
 * </pre>
 * Options: {@code --models=fashion-mnist-ddpmpp-vp,fashion-mnist-ncsnpp-ve}, {@code --n=16},
 * {@code --label=Bag}, {@code --rounds=5}; any {@code --spring...} or {@code --score-sde...} option goes to the
 * server. Results: docs/benchmarks.md.
 */
public final class DefaultRequestBench {

  private DefaultRequestBench() {}

  /** One model's timings, seconds per request. */
  private record Row(String model, String sampler, int nfe, List<Double> http, List<Double> direct,
      List<Double> network) {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> o = TorchComparisonBench.options(argv);
    List<String> models = List.of(o.getOrDefault("models", "fashion-mnist-ddpmpp-vp,fashion-mnist-ncsnpp-ve")
        .split(","));
    int n = Integer.parseInt(o.getOrDefault("n", "16"));
    String label = o.getOrDefault("label", "Bag");
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
    List<String> serverArgs = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0"));
    for (String a : argv) {
      if (a.startsWith("--spring") || a.startsWith("--score-sde")) {
        serverArgs.add(a);
      }
    }
    EngineSetup.offlineByDefault();
    SpringApplication app = new SpringApplication(ScoreSdeApplication.class);
    app.addListeners(new EngineSetup());
    try (ConfigurableApplicationContext ctx = app.run(serverArgs.toArray(String[]::new))) {
      ModelRegistry registry = ctx.getBean(ModelRegistry.class);
      registry.loaded().join();
      ServeProperties props = ctx.getBean(ServeProperties.class);
      String base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      List<Row> rows = new ArrayList<>();
      for (String name : models) {
        ServedModel m = registry.require(name);
        SamplerSettings s = m.samplerSettings(null, props);
        rows.add(new Row(name, describe(s), 0, new ArrayList<>(), new ArrayList<>(),
            new ArrayList<>()));
      }
      for (int round = 0; round <= rounds; round++) {
        for (int i = 0; i < rows.size(); i++) {
          Row r = rows.get(i);
          ServedModel m = registry.require(r.model);
          double h = post(http, base, r.model, n, label);
          double[] d = direct(m, m.samplerSettings(null, props), n, m.classLabel(label), round);
          if (round > 0) { // round 0 warms both paths up
            r.http.add(h);
            r.direct.add(d[0]);
            r.network.add(d[1]);
          }
          rows.set(i, new Row(r.model, r.sampler, (int) d[2], r.http, r.direct, r.network));
        }
      }
      print(rows, n, label, rounds);
    }
  }

  /** Seconds for the default request over HTTP; fails unless it answers 200 with a PNG. */
  private static double post(HttpClient http, String base, String model, int n, String label) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + "/samples"))
        .header("Content-Type", "application/json").header("Accept", "image/png")
        .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + ", \"classLabel\": \"" + label + "\"}")).build();
    long t0 = System.nanoTime();
    HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    double s = (System.nanoTime() - t0) / 1e9;
    if (res.statusCode() != 200 || res.body().length < 8 || res.body()[1] != 'P') {
      throw new IllegalStateException(model + ": HTTP " + res.statusCode() + " " + new String(res.body()));
    }
    return s;
  }

  /**
   * The same sampling run in this thread, as the sample task runs it: the default guidance mode and weight, the
   * served settings. Returns {seconds in all, seconds inside the network, NFE}.
   */
  private static double[] direct(ServedModel m, SamplerSettings s, int n, int label, long seed) {
    try (NDManager scope = m.manager().newSubManager()) {
      NDArray labels = scope.create(filled(n, label));
      GuidanceMode mode = m.defaultGuidanceMode();
      ScoreModel guided = m.guidedScore(mode, labels, mode == GuidanceMode.CLASSIFIER_FREE
          ? m.guidance().classifierFreeWeight() : m.guidance().classifierScale());
      long[] inside = {0};
      ScoreModel timed = (x, t) -> {
        long t0 = System.nanoTime();
        NDArray out = guided.score(x, t);
        inside[0] += System.nanoTime() - t0;
        return out;
      };
      Rng rng = Rng.of(seed, n);
      long t0 = System.nanoTime();
      NDArray xT = s.drawPrior(m.sde(), scope, m.shape().batchShape(n), rng);
      SampleResult r = s.toSampler().sample(timed, m.sde(), xT, SamplingContext.of(rng));
      r.samples().toFloatArray();
      return new double[] {(System.nanoTime() - t0) / 1e9, inside[0] / 1e9, r.nfe()};
    }
  }

  /** "dpm-solver++2m, 9 steps, log-snr grid" from the settings' API fields. */
  private static String describe(SamplerSettings s) {
    var f = s.fields().choice(true);
    return f.sampler() + ", " + f.steps() + " steps" + (f.timeGrid() == null ? "" : ", " + f.timeGrid() + " grid");
  }

  private static int[] filled(int n, int v) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  private static void print(List<Row> rows, int n, String label, int rounds) {
    System.out.printf(Locale.ROOT, "%nDefault request: n = %d, classLabel = %s, Accept: image/png; medians of %d rounds%n",
        n, label, rounds);
    System.out.println("| model | served default | NFE | HTTP s | in-process s | network s | outside the network |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      double h = Timing.median(r.http);
      double d = Timing.median(r.direct);
      double net = Timing.median(r.network);
      System.out.printf(Locale.ROOT, "| %s | %s | %d | %.3f | %.3f | %.3f | %.1f %% |%n", r.model, r.sampler, r.nfe,
          h, d, net, 100 * (h - net) / h);
    }
  }
}
