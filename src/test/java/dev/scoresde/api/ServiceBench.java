package dev.scoresde.api;

import dev.scoresde.EngineSetup;
import dev.scoresde.ScoreSdeApplication;
import dev.scoresde.serve.runtime.InferenceService;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.ServeProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service's load benchmark: throughput and p50/p95 latency of {@code POST .../samples} at concurrency
 * 1, 4 and 16 with batching on and off (switched at run time in one server), for the analytic mixture and
 * a tiny network, then the process's resident memory over a long run. Writes docs/service-bench.md.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp target/classes:target/test-classes:$(cat cp.txt) \
 *   dev.scoresde.api.ServiceBench [seconds-per-cell] [long-run-requests] [mixture-steps] [network-steps]
 * </pre>
 */
public final class ServiceBench {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Cell(String model, String body, boolean batching, int concurrency, int requests, double seconds,
      double p50, double p95, double meanBatchRows) {}

  public static void main(String[] args) throws Exception {
    double cellSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
    int longRun = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int mixtureSteps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int networkSteps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    EngineSetup.offlineByDefault();
    Path dir = Files.createTempDirectory("service-bench");
    Path tiny = ServiceFixtures.tinyNetwork(dir.resolve("tiny"));
    // command-line arguments: they outrank application.yml (default properties would not)
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ScoreSdeApplication.class).run(
        "--server.port=0", "--logging.level.root=WARN",
        "--score-sde.models.patterns.kind=gaussian-mixture", "--score-sde.models.patterns.mixture.preset=patterns-16",
        "--score-sde.models.tiny.folder=" + tiny, "--score-sde.models.colors.enabled=false",
        "--score-sde.models.fashion-mnist-ddpmpp-vp.enabled=false",
        "--score-sde.models.fashion-mnist-ncsnpp-ve.enabled=false",
        "--score-sde.models.photos-ddpmpp-vp.enabled=false", "--score-sde.serve.queue-capacity=256",
        "--score-sde.serve.sync-deadline=30m")) {
      ctx.getBean(ModelRegistry.class).loaded().get(120, TimeUnit.SECONDS);
      int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
      InferenceService inference = ctx.getBean(InferenceService.class);
      ServeProperties.Batching on = inference.batching();
      ServeProperties.Batching off = new ServeProperties.Batching(false, on.maxBatch(), on.maxDelay());
      String patterns = "{\"n\": 1, \"steps\": " + mixtureSteps + "}";
      String net = "{\"n\": 1, \"steps\": " + networkSteps + "}";
      List<Cell> cells = new ArrayList<>();
      String load0 = loadAverage();
      run(port, "patterns", patterns, 1, 2);
      run(port, "tiny", net, 1, 2);
      for (String[] m : new String[][] {{"patterns", patterns}, {"tiny", net}}) {
        for (boolean batching : new boolean[] {true, false}) {
          inference.setBatching(batching ? on : off);
          for (int c : new int[] {1, 4, 16}) {
            cells.add(measure(port, m[0], m[1], batching, c, cellSeconds));
            System.out.println(cells.get(cells.size() - 1));
          }
        }
      }
      inference.setBatching(on);
      String load1 = loadAverage();
      List<long[]> rss = memoryCurve(port, "{\"n\": 1, \"steps\": 2}", longRun, 16);
      write(cells, rss, load0, load1, cellSeconds, longRun, on, mixtureSteps, networkSteps);
    }
  }

  static Cell measure(int port, String model, String body, boolean batching, int concurrency, double seconds)
      throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Integer> rows = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      fs.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          HttpResponse<String> r = post(port, model, body);
          latencies.add((System.nanoTime() - t0) / 1e6);
          int at = r.body().indexOf("\"batchRows\":");
          if (at >= 0) {
            rows.add(Integer.parseInt(r.body().substring(at + 12).replaceAll("[^0-9].*$", "")));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    double took = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Cell(model, body, batching, concurrency, l.length, took, pct(l, 0.5), pct(l, 0.95),
        rows.stream().mapToInt(Integer::intValue).average().orElse(0));
  }

  /** RSS (kB) after every 1/20 of {@code total} requests at the given concurrency. */
  static List<long[]> memoryCurve(int port, String body, int total, int concurrency) throws Exception {
    List<long[]> curve = new ArrayList<>();
    curve.add(new long[] {0, rssKb(), heapKb()});
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    int chunk = Math.max(1, total / 20);
    for (int k = 0; k < total; k += chunk) {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < chunk; i++) {
        fs.add(pool.submit(() -> post(port, "patterns", body)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      done.addAndGet(chunk);
      curve.add(new long[] {done.get(), rssKb(), heapKb()});
      System.out.println("requests " + done.get() + " rss " + rssKb() + " kB");
    }
    pool.shutdown();
    return curve;
  }

  static HttpResponse<String> post(int port, String model, String body) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/models/"
          + model + "/samples")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(r.statusCode() + " " + r.body());
      }
      return r;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static void run(int port, String model, String body, int concurrency, int n) {
    for (int i = 0; i < n; i++) {
      post(port, model, body);
    }
  }

  static double pct(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** The JVM heap committed (kB): part of the RSS that grows with the garbage collector, not with tensors. */
  static long heapKb() {
    return Runtime.getRuntime().totalMemory() / 1024;
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  static void write(List<Cell> cells, List<long[]> rss, String load0, String load1, double cellSeconds, int longRun,
      ServeProperties.Batching on, int mixtureSteps, int networkSteps) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Service benchmark\n\n");
    md.append("Measured ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, one server process with one inference worker, the client in the same JVM over HTTP; libtorch ")
        .append("intra-op threads: ").append(System.getProperty("ai.djl.pytorch.num_threads", "default (cores)"))
        .append(".\n");
    md.append("Load average before/after the throughput cells: `").append(load0).append("` / `").append(load1)
        .append("` (other builds shared the cores: treat the numbers as lower bounds).\n\n");
    md.append("```\n./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt\n")
        .append("java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp target/classes:target/test-classes:$(cat cp.txt) \\\n")
        .append("  dev.scoresde.api.ServiceBench ").append(cellSeconds).append(' ').append(longRun).append(' ').append(mixtureSteps).append(' ').append(networkSteps)
        .append("\n```\n\n");
    md.append("Each cell: closed-loop clients sending `POST /v1/models/{model}/samples` for ").append(cellSeconds)
        .append(" s; batching: max batch ").append(on.maxBatch()).append(" rows, max delay ")
        .append(on.maxDelay().toMillis()).append(" ms. `patterns` is the analytic 4-component mixture (1×4×4, "
            + "exact score) with `")
        .append(cells.get(0).body()).append("`; `tiny` a random DDPM++ (1×8×8, nf 8) with `")
        .append(cells.get(cells.size() - 1).body()).append("` (Euler–Maruyama, one evaluation per step).\n\n");
    md.append("| model | batching | concurrency | requests | throughput (req/s) | p50 (ms) | p95 (ms) | mean rows/batch |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Cell c : cells) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.2f | %.0f | %.0f | %.2f |%n", c.model(),
          c.batching() ? "on" : "off", c.concurrency(), c.requests(), c.requests() / c.seconds(), c.p50(), c.p95(),
          c.meanBatchRows()));
    }
    md.append("\n## Resident memory over a long run\n\n");
    md.append(longRun).append(" requests (`{\"n\": 1, \"steps\": 2}` to `patterns`) at concurrency 16, batching on; "
        + "RSS of the server process "
        + "(`VmRSS`) after each block:\n\n");
    md.append("| requests | RSS (MB) | JVM heap committed (MB) | RSS − heap (MB) |\n|---:|---:|---:|---:|\n");
    for (long[] p : rss) {
      md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.1f |%n", p[0], p[1] / 1024.0, p[2] / 1024.0,
          (p[1] - p[2]) / 1024.0));
    }
    long[] first = rss.get(Math.min(2, rss.size() - 1));
    long[] last = rss.get(rss.size() - 1);
    md.append(String.format(Locale.ROOT, "%nFrom the third point to the last (%d requests): RSS %+.1f MB, of which "
        + "heap %+.1f MB; RSS − heap %+.1f MB.%n", last[0] - first[0], (last[1] - first[1]) / 1024.0,
        (last[2] - first[2]) / 1024.0, ((last[1] - last[2]) - (first[1] - first[2])) / 1024.0));
    Path out = Path.of("docs/service-bench.md");
    Files.writeString(out, md.toString());
    System.out.println("wrote " + out.toAbsolutePath() + "\n" + md);
  }
}
