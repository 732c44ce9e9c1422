package dev.scoresde.bench;

import dev.scoresde.EngineSetup;
import dev.scoresde.ScoreSdeApplication;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ModelRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The default request, timed (issue 16, item 4): {@code POST /v1/models/{m}/samples} with only {@code n} and
 * {@code classLabel} (so the model's served defaults), {@code Accept: image/png}, against the real server started
 * in this JVM on a free port. Rounds alternate between the models; medians over the rounds after one warm-up
 * round. The split is the server's own, from each response's {@code Server-Timing} (queue, run, score, encode):
 * HTTP wall time; inside score evaluations (the network: both classifier-free branches in one call, or the score
 * plus the classifier's gradient); the sampler's own arithmetic (run − score); queue; PNG encoding; the rest of
 * the HTTP time (parsing, dispatch, transfer: wall − queue − run − encode); and the share of the wall time spent
 * outside the network. Not a test. Run with:
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
  private static final Pattern PART = Pattern.compile("(\\w+);dur=([0-9.]+)");
  private static final List<String> PARTS = List.of("queue", "run", "score", "encode");

  private DefaultRequestBench() {}

  /** One model's requests: wall seconds and the server's parts, in seconds. */
  private record Row(String model, String sampler, List<Double> http, Map<String, List<Double>> parts) {}

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
        Map<String, List<Double>> parts = new LinkedHashMap<>();
        PARTS.forEach(k -> parts.put(k, new ArrayList<>()));
        rows.add(new Row(name, describe(registry.require(name).samplerSettings(null, props)), new ArrayList<>(),
            parts));
      }
      for (int round = 0; round <= rounds; round++) {
        for (Row r : rows) {
          long t0 = System.nanoTime();
          HttpResponse<byte[]> res = post(http, base, r.model, n, label);
          double wall = (System.nanoTime() - t0) / 1e9;
          if (round > 0) { // round 0 warms up
            r.http.add(wall);
            Map<String, Double> timing = serverTiming(res);
            PARTS.forEach(k -> r.parts.get(k).add(timing.get(k)));
          }
        }
      }
      print(rows, n, label, rounds);
    }
  }

  /** The default request; fails unless it answers 200 with a PNG and a Server-Timing header. */
  private static HttpResponse<byte[]> post(HttpClient http, String base, String model, int n, String label)
      throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model + "/samples"))
        .header("Content-Type", "application/json").header("Accept", "image/png")
        .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + ", \"classLabel\": \"" + label + "\"}")).build();
    HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200 || res.body().length < 8 || res.body()[1] != 'P') {
      throw new IllegalStateException(model + ": HTTP " + res.statusCode() + " " + new String(res.body()));
    }
    return res;
  }

  /** Server-Timing's parts in seconds. */
  private static Map<String, Double> serverTiming(HttpResponse<?> res) {
    String header = res.headers().firstValue("Server-Timing")
        .orElseThrow(() -> new IllegalStateException("no Server-Timing header"));
    Map<String, Double> out = new LinkedHashMap<>();
    Matcher m = PART.matcher(header);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)) / 1e3);
    }
    if (!out.keySet().containsAll(PARTS)) {
      throw new IllegalStateException("Server-Timing without " + PARTS + ": " + header);
    }
    return out;
  }

  /** "dpm-solver++2m, 9 steps, log-snr grid" from the settings' API fields. */
  private static String describe(SamplerSettings s) {
    var f = s.fields().choice(true);
    return f.sampler() + ", " + f.steps() + " steps" + (f.timeGrid() == null ? "" : ", " + f.timeGrid() + " grid");
  }

  private static void print(List<Row> rows, int n, String label, int rounds) {
    System.out.printf(Locale.ROOT, "%nDefault request: n = %d, classLabel = %s, Accept: image/png; medians of %d rounds%n",
        n, label, rounds);
    System.out.println("| model | served default | HTTP s | score (network) s | sampler arithmetic s | queue s | "
        + "PNG encoding s | rest of HTTP s | outside the network |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      double h = Timing.median(r.http);
      double score = Timing.median(r.parts.get("score"));
      double run = Timing.median(r.parts.get("run"));
      double queue = Timing.median(r.parts.get("queue"));
      double encode = Timing.median(r.parts.get("encode"));
      List<Double> rest = new ArrayList<>();
      List<Double> outside = new ArrayList<>();
      for (int i = 0; i < r.http.size(); i++) {
        double wall = r.http.get(i);
        rest.add(wall - r.parts.get("queue").get(i) - r.parts.get("run").get(i) - r.parts.get("encode").get(i));
        outside.add((wall - r.parts.get("score").get(i)) / wall);
      }
      System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.4f | %.4f | %.4f | %.4f | %.2f %% |%n", r.model,
          r.sampler, h, score, run - score, queue, encode, Timing.median(rest), 100 * Timing.median(outside));
    }
  }
}
