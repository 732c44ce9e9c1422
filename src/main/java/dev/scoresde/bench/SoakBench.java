package dev.scoresde.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load and soak across replicas (issue 17, item 7): starts a {@code redis-server} on a free loopback port and
 * {@code --replicas} server processes sharing it ({@code score-sde.jobs.store=redis}), with API keys and quotas
 * on, then runs {@code --clients} closed-loop clients for {@code --seconds} against them, localhost only, and
 * prints status-code counts and latency per kind of request, throughput, each replica's resident memory after
 * warm-up and at the end, and the checks: no 5xx but 503 with {@code Retry-After}, every 429 with
 * {@code Retry-After}, RSS growth. The mix, per client iteration: sync samples of the analytic {@code patterns}
 * model (most), the default request of the Fashion-MNIST DDPM++ with n = 1, async jobs submitted on one replica
 * and followed to their result on another, model listings, invalid bodies (400), calls without a key (401) and
 * calls with a key whose quota is small (429). Not a test. Run with:
 * <pre>
 * ./mvnw -B -o -q -DskipTests package
 * mkdir -p target/bench-lib && (cd target/bench-lib && unzip -q -o -j ../score-sde.jar 'BOOT-INF/lib/*')
 * java -cp 'target/classes:target/bench-lib/*' dev.scoresde.bench.SoakBench --seconds=300 --clients=32
 * </pre>
 * Options: {@code --replicas=2}, {@code --store=redis} ({@code memory}: no Redis, each job followed on the
 * replica that took it), {@code --redis-server=/usr/bin/redis-server}, {@code --heap=1g}, {@code --malloc-arena-max=2} ({@code default}: glibc's own limit, 8 per core),
 * {@code --warmup=60} (seconds of load before the
 * start RSS, not counted). Results:
 * docs/service-bench.md.
 */
public final class SoakBench {
  private static final String KEY = "soak-key-0123456789";
  private static final String TIGHT_KEY = "tight-key-0123456789";
  private static final Pattern STATE = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
  private static final Pattern NMT =
      Pattern.compile("^-?\\s*(Total|[A-Z][\\w ]+?)(?:: | \\()reserved=\\d+KB, committed=(\\d+)KB", Pattern.MULTILINE);
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  private SoakBench() {}

  /** Status counts and latencies of one kind of request. */
  private static final class Kind {
    final Map<Integer, LongAdder> codes = new ConcurrentHashMap<>();
    final List<Double> millis = java.util.Collections.synchronizedList(new ArrayList<>());

    void add(int code, double ms) {
      codes.computeIfAbsent(code, c -> new LongAdder()).increment();
      millis.add(ms);
    }
  }

  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
  private final LongAdder missingRetryAfter = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public static void main(String[] argv) throws Exception {
    Map<String, String> o = TorchComparisonBench.options(argv);
    int replicas = Integer.parseInt(o.getOrDefault("replicas", "2"));
    int clients = Integer.parseInt(o.getOrDefault("clients", "32"));
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "300"));
    boolean redis = !"memory".equals(o.getOrDefault("store", "redis"));
    List<Process> procs = new ArrayList<>();
    Path logs = Files.createTempDirectory("soak");
    try {
      List<String> shared = new ArrayList<>(List.of("--score-sde.security.enabled=true",
          "--score-sde.security.keys.soak.sha256=" + sha256(KEY),
          "--score-sde.security.keys.soak.requests=1000000", "--score-sde.security.keys.soak.max-concurrent=64",
          "--score-sde.security.keys.tight.sha256=" + sha256(TIGHT_KEY),
          "--score-sde.security.keys.tight.requests=10", "--score-sde.security.keys.tight.max-concurrent=1",
          "--score-sde.security.quota.enabled=true",
          // one tenant drives all clients: its share of the job table is the whole table, and finished jobs
          // expire soon enough that the table turns over within the run (the defaults keep them 30 min)
          "--score-sde.serve.job-retention=" + o.getOrDefault("job-retention", "20s"),
          "--score-sde.serve.max-jobs-per-client=" + o.getOrDefault("max-jobs-per-client", "1000")));
      if (redis) {
        int port = freePort();
        procs.add(new ProcessBuilder(o.getOrDefault("redis-server", "/usr/bin/redis-server"), "--port",
            String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .redirectErrorStream(true).redirectOutput(logs.resolve("redis.log").toFile()).start());
        shared.add("--score-sde.jobs.store=redis");
        shared.add("--spring.data.redis.url=redis://127.0.0.1:" + port);
      }
      List<String> bases = new ArrayList<>();
      List<Process> servers = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + o.getOrDefault("heap", "1g"), "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
            "-Dai.djl.pytorch.num_interop_threads=1", "-XX:NativeMemoryTracking=summary", "-cp", System.getProperty("java.class.path"),
            "dev.scoresde.ScoreSdeApplication", "--server.port=" + port, "--management.server.port=" + freePort()));
        cmd.addAll(shared);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(logs.resolve("replica-" + i + ".log").toFile());
        // as the image, compose and the chart run the server: at most 2 glibc malloc arenas (docs/service-bench.md)
        String arenas = o.getOrDefault("malloc-arena-max", "2");
        if (arenas.equals("default")) {
          pb.environment().remove("MALLOC_ARENA_MAX");
        } else {
          pb.environment().put("MALLOC_ARENA_MAX", arenas);
        }
        Process p = pb.start();
        procs.add(p);
        servers.add(p);
        bases.add("http://127.0.0.1:" + port);
      }
      System.out.println("logs in " + logs);
      SoakBench bench = new SoakBench();
      for (String b : bases) {
        bench.awaitReady(b, Duration.ofMinutes(5));
      }
      // warm-up: every kind once per replica, then --warmup seconds of the full load; then the start RSS
      for (int pick : new int[] {0, 10, 12, 15, 16, 17, 18}) {
        for (int i = 0; i < replicas; i++) {
          bench.iteration(bases, pick, redis);
        }
      }
      bench.load(bases, clients, Integer.parseInt(o.getOrDefault("warmup", "60")), redis);
      bench.kinds.clear();
      bench.firstErrors.clear();
      bench.serverErrors.reset();
      bench.missingRetryAfter.reset();
      long[] rssStart = servers.stream().mapToLong(SoakBench::rssKb).toArray();
      List<Map<String, Long>> nmtStart = servers.stream().map(SoakBench::nativeMemory).toList();
      String loadStart = Files.readString(Path.of("/proc/loadavg")).trim();
      long t0 = System.nanoTime();
      MemoryTrace trace = MemoryTrace.start(servers, Duration.ofSeconds(Math.max(1, seconds / 10)));
      bench.load(bases, clients, seconds, redis);
      double wall = (System.nanoTime() - t0) / 1e9;
      trace.stop();
      long[] rssEnd = servers.stream().mapToLong(SoakBench::rssKb).toArray();
      List<Map<String, Long>> nmtEnd = servers.stream().map(SoakBench::nativeMemory).toList();
      String loadEnd = Files.readString(Path.of("/proc/loadavg")).trim();
      bench.print(replicas, clients, wall, redis, rssStart, rssEnd, loadStart, loadEnd);
      trace.print();
      printNativeMemory(rssStart, rssEnd, nmtStart, nmtEnd);
    } finally {
      for (Process p : procs) {
        p.destroy();
      }
      for (Process p : procs) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** {@code clients} closed-loop clients for {@code seconds}. */
  private void load(List<String> bases, int clients, int seconds, boolean shared) throws InterruptedException {
    Instant end = Instant.now().plusSeconds(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.submit(() -> {
        while (Instant.now().isBefore(end)) {
          try {
            iteration(bases, ThreadLocalRandom.current().nextInt(20), shared);
          } catch (Exception e) {
            error("client: " + e);
          }
        }
        return null;
      });
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 600L, TimeUnit.SECONDS);
  }

  /** One client iteration; {@code pick} in [0, 20) chooses the kind of request by weight. */
  private void iteration(List<String> bases, int pick, boolean shared) throws Exception {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String a = bases.get(r.nextInt(bases.size()));
    String b = shared ? bases.get(r.nextInt(bases.size())) : a;
    if (pick < 10) {
      call("sample patterns (sync)", post(a + "/v1/models/patterns/samples", "{\"n\": 2, \"steps\": 20}", KEY, null));
    } else if (pick < 12) {
      call("default request fashion-mnist-ddpmpp-vp, n = 1", post(a + "/v1/models/fashion-mnist-ddpmpp-vp/samples",
          "{\"n\": 1, \"classLabel\": \"Bag\"}", KEY, "image/png"));
    } else if (pick < 15) {
      job(a, b);
    } else if (pick < 16) {
      call("GET /v1/models", HttpRequest.newBuilder(URI.create(a + "/v1/models")).header("X-API-Key", KEY).GET());
    } else if (pick < 17) {
      call("invalid body (400)", post(a + "/v1/models/patterns/samples", "{\"n\": -1}", KEY, null));
    } else if (pick < 18) {
      call("no key (401)", post(a + "/v1/models/patterns/samples", "{\"n\": 1}", null, null));
    } else {
      call("small quota (429)", post(a + "/v1/models/patterns/samples", "{\"n\": 1, \"steps\": 5}", TIGHT_KEY, null));
    }
  }

  /** An async job submitted on {@code a}, polled and read on {@code b} until it ends. */
  private void job(String a, String b) throws Exception {
    HttpResponse<String> sub = call("job submit", post(a + "/v1/models/patterns/samples?async=true",
        "{\"n\": 4, \"steps\": 100}", KEY, null));
    if (sub == null || sub.statusCode() != 202) {
      return;
    }
    Matcher id = ID.matcher(sub.body());
    if (!id.find()) {
      error("job submit without an id: " + sub.body());
      return;
    }
    Instant give = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(give)) {
      HttpResponse<String> st = call("job status (other replica)",
          HttpRequest.newBuilder(URI.create(b + "/v1/jobs/" + id.group(1))).header("X-API-Key", KEY).GET());
      if (st == null || st.statusCode() != 200) {
        return;
      }
      Matcher s = STATE.matcher(st.body());
      String state = s.find() ? s.group(1) : "?";
      if (!state.equals("queued") && !state.equals("running")) {
        kinds.computeIfAbsent("job outcome", k -> new Kind()).add("succeeded".equals(state) ? 200 : 0, 0);
        if (!"succeeded".equals(state)) {
          error("job " + id.group(1) + " ended " + state + ": " + st.body().substring(0, Math.min(300, st.body().length())));
        }
        return;
      }
      Thread.sleep(200);
    }
    error("job " + id.group(1) + " did not end within 120 s");
  }

  private static HttpRequest.Builder post(String url, String body, String key, String accept) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      req.header("X-API-Key", key);
    }
    if (accept != null) {
      req.header("Accept", accept);
    }
    return req;
  }

  private HttpResponse<String> call(String kind, HttpRequest.Builder req) {
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
      int code = res.statusCode();
      kinds.computeIfAbsent(kind, k -> new Kind()).add(code, (System.nanoTime() - t0) / 1e6);
      if ((code == 429 || code == 503) && res.headers().firstValue("Retry-After").isEmpty()) {
        missingRetryAfter.increment();
        error(kind + ": " + code + " without Retry-After");
      }
      if (code == 400 && !kind.startsWith("invalid")) {
        error(kind + ": unexpected 400 " + res.body().substring(0, Math.min(300, res.body().length())));
      }
      if (code >= 500 && code != 503) {
        serverErrors.increment();
        error(kind + ": " + code + " " + res.body().substring(0, Math.min(300, res.body().length())));
      }
      return res;
    } catch (IOException | InterruptedException e) {
      kinds.computeIfAbsent(kind, k -> new Kind()).add(-1, (System.nanoTime() - t0) / 1e6);
      error(kind + ": " + e);
      return null;
    }
  }

  private void error(String what) {
    if (firstErrors.size() < 20) {
      firstErrors.add(what);
    }
  }

  private void awaitReady(String base, Duration limit) throws Exception {
    Instant give = Instant.now().plus(limit);
    while (Instant.now().isBefore(give)) {
      try {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
            .header("X-API-Key", KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 200 && !res.body().contains("\"loading\"")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(base + " not ready within " + limit);
  }

  private void print(int replicas, int clients, double wall, boolean redis, long[] rssStart, long[] rssEnd,
      String loadStart, String loadEnd) {
    System.out.printf(Locale.ROOT, "%nSoak: %d replicas (%s job store), %d clients, %.0f s; load average %s → %s%n",
        replicas, redis ? "redis" : "memory", clients, wall, loadStart, loadEnd);
    System.out.println("| request | count | status codes | req/s | p50 ms | p95 ms |");
    System.out.println("|---|---:|---|---:|---:|---:|");
    long total = 0;
    for (Map.Entry<String, Kind> e : new TreeMap<>(kinds).entrySet()) {
      Kind k = e.getValue();
      List<Double> ms = new ArrayList<>(k.millis);
      total += ms.size();
      StringBuilder codes = new StringBuilder();
      new TreeMap<>(k.codes).forEach((c, n) -> codes.append(codes.length() == 0 ? "" : ", ")
          .append(c == 0 ? "not succeeded" : c == -1 ? "I/O error" : String.valueOf(c)).append(": ").append(n.sum()));
      boolean timed = !e.getKey().equals("job outcome");
      System.out.printf(Locale.ROOT, "| %s | %d | %s | %.2f | %s | %s |%n", e.getKey(), ms.size(), codes,
          ms.size() / wall, timed ? String.format(Locale.ROOT, "%.0f", quantile(ms, 0.5)) : "",
          timed ? String.format(Locale.ROOT, "%.0f", quantile(ms, 0.95)) : "");
    }
    System.out.printf(Locale.ROOT, "%nall: %d responses, %.1f per s%n", total, total / wall);
    for (int i = 0; i < rssStart.length; i++) {
      System.out.printf(Locale.ROOT, "replica %d resident memory: %.1f MB after warm-up → %.1f MB at the end (%+.1f %%)%n",
          i, rssStart[i] / 1024.0, rssEnd[i] / 1024.0, 100.0 * (rssEnd[i] - rssStart[i]) / rssStart[i]);
    }
    System.out.printf(Locale.ROOT, "5xx other than 503: %d; 429/503 without Retry-After: %d%n", serverErrors.sum(),
        missingRetryAfter.sum());
    firstErrors.forEach(e -> System.out.println("  " + e));
  }

  private static double quantile(List<Double> v, double q) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(v);
    java.util.Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.floor(q * s.size())));
  }

  /** Each replica's resident memory every {@code period} during the measured window: growth or a plateau. */
  private static final class MemoryTrace {
    private final List<Process> servers;
    private final List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor();

    private MemoryTrace(List<Process> servers) {
      this.servers = servers;
    }

    static MemoryTrace start(List<Process> servers, Duration period) {
      MemoryTrace t = new MemoryTrace(servers);
      long start = System.nanoTime();
      t.timer.scheduleAtFixedRate(() -> {
        long[] row = new long[servers.size() + 1];
        row[0] = (System.nanoTime() - start) / 1_000_000_000L;
        for (int i = 0; i < servers.size(); i++) {
          row[i + 1] = rssKb(servers.get(i));
        }
        t.samples.add(row);
      }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
      return t;
    }

    void stop() throws InterruptedException {
      timer.shutdown();
      timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    void print() {
      System.out.println("\nresident memory during the run, MB (s: replica 0, replica 1, ...)");
      StringBuilder line = new StringBuilder();
      for (long[] row : samples) {
        line.append(row[0]).append(" s:");
        for (int i = 1; i < row.length; i++) {
          line.append(String.format(Locale.ROOT, " %.0f", row[i] / 1024.0));
        }
        line.append("; ");
      }
      System.out.println(line);
    }
  }

  /** Native Memory Tracking's committed KB per category ({@code jcmd PID VM.native_memory summary}). */
  private static Map<String, Long> nativeMemory(Process p) {
    Map<String, Long> committed = new TreeMap<>();
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(p.pid()), "VM.native_memory", "summary")
          .redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor(30, TimeUnit.SECONDS);
      Matcher m = NMT.matcher(out);
      while (m.find()) {
        committed.put(m.group(1).trim(), Long.parseLong(m.group(2)));
      }
    } catch (IOException | InterruptedException e) {
      committed.put("(jcmd failed: " + e.getMessage() + ")", 0L);
    }
    return committed;
  }

  /**
   * Where resident memory grew: the JVM's own categories by NMT, and the rest of RSS, which NMT does not see
   * (libtorch's allocations through malloc, glibc arenas, mapped files).
   */
  private static void printNativeMemory(long[] rssStart, long[] rssEnd, List<Map<String, Long>> start,
      List<Map<String, Long>> end) {
    for (int i = 0; i < start.size(); i++) {
      System.out.printf(Locale.ROOT, "%nreplica %d, committed MB after warm-up → end (JVM categories by NMT)%n", i);
      Map<String, Long> a = start.get(i);
      Map<String, Long> b = end.get(i);
      java.util.Set<String> categories = new java.util.TreeSet<>(a.keySet());
      categories.addAll(b.keySet()); // a category may come or go (Arena Chunk)
      for (String k : categories) {
        long x = a.getOrDefault(k, 0L);
        long y = b.getOrDefault(k, 0L);
        if (Math.max(x, y) >= 1024) {
          System.out.printf(Locale.ROOT, "  %-24s %8.1f → %8.1f (%+.1f)%n", k, x / 1024.0, y / 1024.0, (y - x) / 1024.0);
        }
      }
      long totalA = a.getOrDefault("Total", 0L);
      long totalB = b.getOrDefault("Total", 0L);
      System.out.printf(Locale.ROOT, "  %-24s %8.1f → %8.1f (%+.1f)%n", "RSS − NMT total", (rssStart[i] - totalA) / 1024.0,
          (rssEnd[i] - totalB) / 1024.0, ((rssEnd[i] - totalB) - (rssStart[i] - totalA)) / 1024.0);
    }
  }

  private static long rssKb(Process p) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String sha256(String key) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
