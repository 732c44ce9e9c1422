package dev.scoresde.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart through helm-java (the helm library in-process, no cluster, no network): lint, then the
 * manifests rendered for the default values and for GPU values, parsed and checked field by field.
 */
@SuppressWarnings("unchecked")
class HelmChartTest {
  static final Path CHART = Path.of("helm/score-sde");
  static final Path GPU_VALUES = CHART.resolve("ci/gpu-values.yaml");
  /** A current cluster version (helm template otherwise assumes 1.20, below the chart's kubeVersion). */
  static final String KUBE = "1.31.0";

  @TempDir Path dir;

  @Test
  void chartLintsCleanInStrictMode() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertFalse(r.isFailed(), String.join("\n", r.getMessages()));
  }

  @Test
  void defaultValuesRenderACpuServerWithProbesAndAHardenedPod() {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE));
    assertEquals(List.of("ConfigMap", "Deployment", "PersistentVolumeClaim", "Secret", "Service"), m.kinds());
    Map<String, Object> pod = m.pod("Deployment");
    Map<String, Object> c = m.container("Deployment");
    assertEquals("score-sde:0.1.0", c.get("image"), "the chart's appVersion by default");
    assertEquals(1, at(m.one("Deployment"), "spec.replicas"));
    assertEquals("/actuator/health/liveness", at(c, "livenessProbe.httpGet.path"));
    assertEquals("/actuator/health/readiness", at(c, "readinessProbe.httpGet.path"));
    assertEquals("/actuator/health/liveness", at(c, "startupProbe.httpGet.path"));
    assertEquals("management", at(c, "readinessProbe.httpGet.port"));
    assertEquals("management", at(c, "livenessProbe.httpGet.port"));
    assertEquals("management", at(c, "startupProbe.httpGet.port"));
    assertEquals(8080, ((List<Map<String, Object>>) c.get("ports")).get(0).get("containerPort"));
    assertEquals("2", at(c, "resources.requests.cpu"));
    assertEquals("6Gi", at(c, "resources.limits.memory"));
    assertNull(at(c, "resources.limits.nvidia\\.com/gpu"), "no GPU limit on CPU");
    assertNull(pod.get("tolerations"));
    assertNull(pod.get("nodeSelector"));
    // non-root, read-only root file system, no capabilities, no service account token
    assertEquals(true, at(pod, "securityContext.runAsNonRoot"));
    assertEquals(10001, at(pod, "securityContext.runAsUser"));
    assertEquals("RuntimeDefault", at(pod, "securityContext.seccompProfile.type"));
    assertEquals(false, pod.get("automountServiceAccountToken"));
    assertEquals(false, at(c, "securityContext.allowPrivilegeEscalation"));
    assertEquals(true, at(c, "securityContext.readOnlyRootFilesystem"));
    assertEquals(List.of("ALL"), at(c, "securityContext.capabilities.drop"));
    assertTrue(mounts(c).contains("/tmp"), "a writable /tmp under a read-only root");
    // the model registry reaches Spring through the mounted ConfigMap
    assertTrue(((List<String>) c.get("args")).stream()
        .anyMatch(a -> a.startsWith("--spring.config.additional-location=file:/config/score-sde.yml")), c.get("args").toString());
    Map<String, Object> models = m.registry();
    assertEquals("gaussian-mixture", at(models, "patterns.kind"));
    assertEquals("sde-score-sde-models", at(m.one("PersistentVolumeClaim"), "metadata.name"));
    assertEquals("sde-score-sde-models", at(volume(pod, "models"), "persistentVolumeClaim.claimName"));
    assertEquals(true, at(volume(pod, "models"), "persistentVolumeClaim.readOnly"), "the server only reads");
    assertEquals(at(m.one("Deployment"), "spec.selector.matchLabels"), at(m.one("Service"), "spec.selector"));
    // two glibc arenas: without them libtorch's resident memory crept up 28 % in a 5-minute soak
    assertEquals("2", env(c).get("MALLOC_ARENA_MAX"));
  }

  @Test
  void apiKeysAreOnWithAGeneratedHashedKeyAndProbesOnTheManagementPort() throws Exception {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE));
    Map<String, Object> secret = m.one("Secret");
    assertEquals("sde-score-sde-api-keys", at(secret, "metadata.name"));
    assertEquals("keep", at(secret, "metadata.annotations.helm\\.sh/resource-policy"), "the key survives an uninstall");
    String key = new String(java.util.Base64.getDecoder().decode((String) at(secret, "data.api-key")));
    assertTrue(key.matches("[A-Za-z0-9]{40}"), "a random 40-character key: " + key.length());
    Map<String, Object> keysYml = new Yaml().load(new String(java.util.Base64.getDecoder().decode(
        (String) at(secret, "data.api-keys\\.yml"))));
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(sha, at(keysYml, "score-sde.security.keys.admin.sha256"), "the pods get the hash, not the key");
    assertEquals(List.of("admin"), at(keysYml, "score-sde.security.keys.admin.scopes"));
    assertFalse(at(m.one("ConfigMap"), "data.score-sde\\.yml").toString().contains(key), "no key in the ConfigMap");
    // the application YAML: keys and quotas on, CORS off
    Map<String, Object> cfg = new Yaml().load((String) at(m.one("ConfigMap"), "data.score-sde\\.yml"));
    assertEquals(true, at(cfg, "score-sde.security.enabled"));
    assertEquals(true, at(cfg, "score-sde.security.quota.enabled"));
    assertEquals(120, at(cfg, "score-sde.security.quota.requests"));
    assertEquals(List.of(), at(cfg, "score-sde.security.cors.allowed-origins"));
    // the pod: the Secret's api-keys.yml is read as configuration, probes go to the management port
    Map<String, Object> c = m.container("Deployment");
    List<String> args = (List<String>) c.get("args");
    assertTrue(args.contains("--spring.config.additional-location=file:/config/score-sde.yml,file:/secrets/api-keys.yml"),
        args.toString());
    assertTrue(args.contains("--management.server.port=8081"), args.toString());
    assertTrue(mounts(c).contains("/secrets"));
    assertEquals("sde-score-sde-api-keys", at(volume(m.pod("Deployment"), "api-keys"), "secret.secretName"));
    List<Map<String, Object>> ports = (List<Map<String, Object>>) c.get("ports");
    assertEquals(List.of("http", "management"), ports.stream().map(p -> p.get("name")).toList());
    assertEquals(8081, ports.get(1).get("containerPort"));
    assertEquals(List.of("http", "management"), ((List<Map<String, Object>>) at(m.one("Service"), "spec.ports"))
        .stream().map(p -> p.get("name")).toList());
    // an own Secret: none generated; keys off: no Secret, no mount
    Manifests own = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE)
        .set("security.existingSecret", "my-keys"));
    assertTrue(own.docs().stream().noneMatch(d -> "Secret".equals(d.get("kind"))));
    assertEquals("my-keys", at(volume(own.pod("Deployment"), "api-keys"), "secret.secretName"));
    Manifests off = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE)
        .set("security.enabled", false));
    assertTrue(off.docs().stream().noneMatch(d -> "Secret".equals(d.get("kind"))));
    assertFalse(mounts(off.container("Deployment")).contains("/secrets"));
  }

  /**
   * Kubernetes' default grace is 30 s; the server needs the preStop sleep plus at most two shutdown phases of 10 s
   * (application.yml: spring.lifecycle.timeout-per-shutdown-phase) and usually about a second (ShutdownProcessTest).
   */
  @Test
  void thePodWaitsForEndpointRemovalAndGetsAGracePeriodBeyondTheServersShutdown() {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE));
    Map<String, Object> c = m.container("Deployment");
    assertEquals(List.of("sleep", "5"), at(c, "lifecycle.preStop.exec.command"));
    int grace = (Integer) at(m.pod("Deployment"), "terminationGracePeriodSeconds");
    assertTrue(grace >= 5 + 2 * 10, "grace " + grace + " s");
    Manifests none = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE)
        .set("server.shutdown.preStopSleepSeconds", 0));
    assertNull(none.container("Deployment").get("lifecycle"), "no preStop hook without a sleep");
  }

  @Test
  void theContainerRunsReadOnlyAsANonRootUser() throws IOException {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE));
    Map<String, Object> pod = m.pod("Deployment");
    Map<String, Object> c = m.container("Deployment");
    assertEquals(true, at(pod, "securityContext.runAsNonRoot"));
    assertEquals(true, at(c, "securityContext.readOnlyRootFilesystem"));
    assertEquals(Map.of(), at(volume(pod, "tmp"), "emptyDir"), "/tmp is an emptyDir");
    assertTrue(((List<Map<String, Object>>) c.get("volumeMounts")).stream()
        .filter(v -> !"/tmp".equals(v.get("mountPath"))).allMatch(v -> Boolean.TRUE.equals(v.get("readOnly"))),
        "every other mount is read-only: " + c.get("volumeMounts"));
    // the image itself: a numeric non-root USER, set before the entrypoint
    List<String> docker = Files.readAllLines(Path.of("Dockerfile"));
    String user = docker.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertTrue(user.matches("USER [1-9][0-9]*:[1-9][0-9]*"), user);
    assertTrue(docker.indexOf(user) < docker.indexOf(docker.stream().filter(l -> l.startsWith("ENTRYPOINT"))
        .findFirst().orElseThrow()));
  }

  @Test
  void gpuValuesRenderGpuLimitsTrainingAndAnIndexedGenerateJob() {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE).withValuesFile(GPU_VALUES));
    assertEquals(List.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Job", "Job", "PersistentVolumeClaim",
        "Secret", "Service", "ServiceMonitor"), m.kinds());
    // server: CUDA image, one GPU, GPU nodes, replicas left to the HPA
    Map<String, Object> c = m.container("Deployment");
    Map<String, Object> pod = m.pod("Deployment");
    assertEquals("registry.example.com/score-sde:0.1.0-cu128", c.get("image"));
    assertEquals(1, at(c, "resources.limits.nvidia\\.com/gpu"));
    assertEquals("6Gi", at(c, "resources.limits.memory"), "the GPU limit adds to the memory limit");
    assertEquals("true", at(pod, "nodeSelector.nvidia\\.com/gpu\\.present"));
    assertEquals("nvidia.com/gpu", ((List<Map<String, Object>>) pod.get("tolerations")).get(0).get("key"));
    assertNull(at(m.one("Deployment"), "spec.replicas"), "the HPA owns the replica count");
    assertEquals(2, at(m.one("HorizontalPodAutoscaler"), "spec.minReplicas"));
    assertEquals(6, at(m.one("HorizontalPodAutoscaler"), "spec.maxReplicas"));
    // checkpoint models without a device go to the GPU; an explicit cpu stays
    Map<String, Object> models = m.registry();
    assertEquals("gpu", at(models, "fashion-mnist.device"));
    assertEquals("cpu", at(models, "fashion-mnist-cpu.device"));
    assertNull(at(models, "patterns.device"), "the analytic model needs no device");
    // training: the train profile, the image's job file, checkpoints on the PVC, two GPUs, no retry on config errors
    Map<String, Object> train = m.job("train");
    Map<String, Object> tc = container(get(train, "spec.template.spec"));
    List<String> targs = (List<String>) tc.get("args");
    assertTrue(targs.contains("--spring.profiles.active=train"), targs.toString());
    assertTrue(targs.contains("--spring.config.additional-location=jobs/fashion-mnist-ddpmpp-vp.yml"));
    assertTrue(targs.contains("--score-sde.train.checkpoint.folder=/models/fashion-mnist-ddpmpp-vp"));
    assertEquals(2, at(tc, "resources.limits.nvidia\\.com/gpu"));
    assertTrue(targs.stream().noneMatch(a -> a.startsWith("--score-sde.train.devices")),
        "by default the job's devices setting (auto: both GPUs of the pod) stays");
    assertEquals("Never", at(train, "spec.template.spec.restartPolicy"));
    assertTrue(mounts(tc).contains("/usr/share/datasets"));
    assertEquals("datasets", at(volume(get(train, "spec.template.spec"), "data"), "persistentVolumeClaim.claimName"));
    Map<String, Object> rule = ((List<Map<String, Object>>) get(train, "spec.podFailurePolicy.rules")).get(0);
    assertEquals(List.of(2, 3, 4), at(rule, "onExitCodes.values"));
    // generation: an Indexed Job, completions = shards, the shard index from JOB_COMPLETION_INDEX
    Map<String, Object> gen = m.job("generate");
    assertEquals("Indexed", at(gen, "spec.completionMode"));
    assertEquals(5, at(gen, "spec.completions"));
    assertEquals(2, at(gen, "spec.parallelism"));
    Map<String, Object> gc = container(get(gen, "spec.template.spec"));
    List<String> gargs = (List<String>) gc.get("args");
    assertTrue(gargs.contains("--spring.profiles.active=generate"), gargs.toString());
    assertTrue(gargs.contains("--score-sde.generate.shards=5"));
    assertTrue(gargs.contains("--score-sde.generate.count=50000"));
    assertTrue(gargs.contains("--score-sde.generate.steps=1000"));
    assertTrue(gargs.stream().noneMatch(a -> a.startsWith("--score-sde.generate.shard=")),
        "the shard comes from JOB_COMPLETION_INDEX, not a fixed argument");
    assertEquals(1, at(gc, "resources.limits.nvidia\\.com/gpu"));
    assertEquals("/actuator/prometheus", ((List<Map<String, Object>>) at(m.one("ServiceMonitor"), "spec.endpoints"))
        .get(0).get("path"));
    assertEquals("management", ((List<Map<String, Object>>) at(m.one("ServiceMonitor"), "spec.endpoints"))
        .get(0).get("port"), "Prometheus scrapes the management port");
    assertEquals(List.of("ReadWriteMany"), at(m.one("PersistentVolumeClaim"), "spec.accessModes"));
  }

  @Test
  void trainingSplitsItsBatchAcrossTheRequestedGpusOrTheListedDevices() throws IOException {
    Path values = dir.resolve("train-values.yaml");
    Files.writeString(values, "train:\n  enabled: true\n  gpus: 4\n  devices: gpu0,gpu1\n");
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE).withValuesFile(values));
    Map<String, Object> tc = container(get(m.job("train"), "spec.template.spec"));
    assertEquals(4, at(tc, "resources.limits.nvidia\\.com/gpu"));
    assertTrue(((List<String>) tc.get("args")).contains("--score-sde.train.devices=gpu0,gpu1"), tc.get("args").toString());
    assertTrue(((String) tc.get("image")).startsWith("score-sde:"), "GPU image tag only with gpu.imageTag");
    Files.writeString(values, "train:\n  enabled: true\n  devices: gpu0;gpu1\n");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Helm(CHART).template().withName("sde").withKubeVersion(KUBE).withValuesFile(values).call());
    assertTrue(e.getMessage().contains("devices"), e.getMessage());
  }

  @Test
  void jobsStayInEachPodByDefaultWithoutRedis() {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE));
    assertTrue(m.docs().stream().noneMatch(d -> "redis".equals(get(d, "metadata.labels.app\\.kubernetes\\.io/component"))));
    Map<String, Object> env = env(m.container("Deployment"));
    assertFalse(env.containsKey("SCORE_SDE_JOBS_STORE"), "memory, the application's default");
    assertFalse(env.containsKey("SPRING_DATA_REDIS_URL"));
  }

  @Test
  void redisJobsWithTheInChartRedisGetItsServiceAndAGeneratedPassword() {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE)
        .set("jobs.store", "redis").set("redis.enabled", true).set("replicaCount", 3));
    assertEquals(List.of("ConfigMap", "Deployment", "Deployment", "PersistentVolumeClaim", "Secret", "Secret", "Service",
        "Service"), m.kinds());
    Map<String, Object> server = m.named("Deployment", "sde-score-sde");
    Map<String, Object> env = env(container(get(server, "spec.template.spec")));
    assertEquals("redis", env.get("SCORE_SDE_JOBS_STORE"));
    assertEquals("redis://sde-score-sde-redis:6379", env.get("SPRING_DATA_REDIS_URL"));
    assertEquals("2s", env.get("SCORE_SDE_JOBS_HEARTBEAT"));
    assertEquals("10s", env.get("SCORE_SDE_JOBS_LEASE"));
    assertEquals(Map.of("name", "sde-score-sde-redis", "key", "redis-password"),
        get(envVar(container(get(server, "spec.template.spec")), "SPRING_DATA_REDIS_PASSWORD"), "valueFrom.secretKeyRef"));
    Map<String, Object> secret = m.named("Secret", "sde-score-sde-redis");
    String password = new String(java.util.Base64.getDecoder().decode((String) at(secret, "data.redis-password")));
    assertTrue(password.matches("[A-Za-z0-9]{32}"), "a random 32-character password");
    // the Redis pod: the official image, no persistence, the same password, not behind the server's Service
    Map<String, Object> redis = m.named("Deployment", "sde-score-sde-redis");
    Map<String, Object> rc = container(get(redis, "spec.template.spec"));
    assertEquals("redis:7.4", rc.get("image"));
    List<String> args = (List<String>) rc.get("args");
    assertEquals("", args.get(args.indexOf("--save") + 1));
    assertEquals("no", args.get(args.indexOf("--appendonly") + 1));
    assertEquals("$(REDIS_PASSWORD)", args.get(args.indexOf("--requirepass") + 1));
    assertEquals("noeviction", args.get(args.indexOf("--maxmemory-policy") + 1));
    assertEquals(Map.of("name", "sde-score-sde-redis", "key", "redis-password"),
        get(envVar(rc, "REDIS_PASSWORD"), "valueFrom.secretKeyRef"));
    assertEquals(true, at(redis, "spec.template.spec.securityContext.runAsNonRoot"));
    assertEquals(true, at(rc, "securityContext.readOnlyRootFilesystem"));
    Map<String, Object> redisService = m.named("Service", "sde-score-sde-redis");
    assertEquals(at(redis, "spec.selector.matchLabels"), at(redisService, "spec.selector"));
    assertEquals(6379, ((List<Map<String, Object>>) at(redisService, "spec.ports")).get(0).get("port"));
    Map<String, Object> serverSelector = get(m.named("Service", "sde-score-sde"), "spec.selector");
    Map<String, Object> redisLabels = get(redis, "spec.template.metadata.labels");
    assertFalse(redisLabels.entrySet().containsAll(serverSelector.entrySet()), "the API Service never sends to Redis");
  }

  @Test
  void redisJobsWithAnExternalRedisUseItsUrlAndTheOwnSecret() {
    Manifests m = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE).set("jobs.store", "redis")
        .set("jobs.redis.url", "rediss://redis.example.com:6380").set("jobs.redis.existingSecret", "my-redis")
        .set("jobs.heartbeat", "1s").set("jobs.lease", "5s"));
    assertEquals(1, m.docs().stream().filter(d -> "Deployment".equals(d.get("kind"))).count(), "no in-chart Redis");
    assertTrue(m.docs().stream().noneMatch(d -> "sde-score-sde-redis".equals(get(d, "metadata.name"))));
    Map<String, Object> c = m.container("Deployment");
    Map<String, Object> env = env(c);
    assertEquals("rediss://redis.example.com:6380", env.get("SPRING_DATA_REDIS_URL"));
    assertEquals("1s", env.get("SCORE_SDE_JOBS_HEARTBEAT"));
    assertEquals(Map.of("name", "my-redis", "key", "redis-password"),
        get(envVar(c, "SPRING_DATA_REDIS_PASSWORD"), "valueFrom.secretKeyRef"));
    // without a password Secret, none is passed
    Manifests open = render(new Helm(CHART).template().withName("sde").withKubeVersion(KUBE).set("jobs.store", "redis")
        .set("jobs.redis.url", "redis://redis:6379"));
    assertFalse(env(open.container("Deployment")).containsKey("SPRING_DATA_REDIS_PASSWORD"));
    // redis without either is a clear error
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Helm(CHART).template()
        .withName("sde").withKubeVersion(KUBE).set("security.generatedKey.reuse", false).set("jobs.store", "redis").call());
    assertTrue(e.getMessage().contains("jobs.redis.url"), e.getMessage());
    IllegalStateException store = assertThrows(IllegalStateException.class, () -> new Helm(CHART).template()
        .withName("sde").withKubeVersion(KUBE).set("jobs.store", "postgres").call());
    assertTrue(store.getMessage().contains("store"), store.getMessage());
  }

  /** A container's plain env values by name (secret references as null). */
  static Map<String, Object> env(Map<String, Object> container) {
    Map<String, Object> out = new java.util.HashMap<>();
    for (Map<String, Object> e : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
      out.put((String) e.get("name"), e.get("value"));
    }
    return out;
  }

  static Map<String, Object> envVar(Map<String, Object> container, String name) {
    return ((List<Map<String, Object>>) container.get("env")).stream().filter(e -> name.equals(e.get("name")))
        .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
  }

  @Test
  void theSchemaRejectsInvalidValuesByName() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Helm(CHART).template().withName("sde").withKubeVersion(KUBE).set("generate.shards", 0).call());
    assertTrue(e.getMessage().contains("shards"), e.getMessage());
    IllegalStateException device = assertThrows(IllegalStateException.class,
        () -> new Helm(CHART).template().withName("sde").withKubeVersion(KUBE).set("models.x.device", "tpu").call());
    assertTrue(device.getMessage().contains("device"), device.getMessage());
  }

  // ---- parsing

  record Manifests(List<Map<String, Object>> docs) {
    List<String> kinds() {
      return docs.stream().map(d -> (String) d.get("kind")).sorted().toList();
    }

    Map<String, Object> one(String kind) {
      List<Map<String, Object>> of = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
      assertEquals(1, of.size(), "one " + kind);
      return of.get(0);
    }

    Map<String, Object> named(String kind, String name) {
      return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(get(d, "metadata.name"))).findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    Map<String, Object> job(String component) {
      return docs.stream().filter(d -> "Job".equals(d.get("kind")))
          .filter(d -> component.equals(get(d, "metadata.labels.app\\.kubernetes\\.io/component"))).findFirst()
          .orElseThrow(() -> new AssertionError("no " + component + " Job"));
    }

    Map<String, Object> pod(String kind) {
      return get(one(kind), "spec.template.spec");
    }

    Map<String, Object> container(String kind) {
      return HelmChartTest.container(pod(kind));
    }

    /** score-sde.models of the rendered application YAML. */
    Map<String, Object> registry() {
      String yml = get(one("ConfigMap"), "data.score-sde\\.yml");
      Map<String, Object> cfg = new Yaml().load(yml);
      return get(cfg, "score-sde.models");
    }
  }

  /**
   * helm-java's template has no client-only mode: the Secrets' {@code lookup} of an installed key or Redis password
   * would dial a cluster, so the renders here skip it (lint, in-process, still renders the lookup branch).
   */
  static Manifests render(com.marcnuri.helm.TemplateCommand template) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Yaml().loadAll(template.set("security.generatedKey.reuse", false)
        .set("jobs.redis.reusePassword", false).call())) {
      if (d != null) {
        docs.add((Map<String, Object>) d);
      }
    }
    return new Manifests(docs);
  }

  static Map<String, Object> container(Map<String, Object> podSpec) {
    List<Map<String, Object>> cs = (List<Map<String, Object>>) podSpec.get("containers");
    assertEquals(1, cs.size());
    return cs.get(0);
  }

  static List<String> mounts(Map<String, Object> container) {
    return ((List<Map<String, Object>>) container.get("volumeMounts")).stream().map(v -> (String) v.get("mountPath"))
        .toList();
  }

  static Map<String, Object> volume(Map<String, Object> podSpec, String name) {
    return ((List<Map<String, Object>>) podSpec.get("volumes")).stream().filter(v -> name.equals(v.get("name")))
        .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
  }

  static Object at(Object root, String path) {
    return get(root, path);
  }

  /** A dotted path into nested maps; "\\." escapes a dot inside a key. Null when absent. */
  @SuppressWarnings("unchecked")
  static <T> T get(Object root, String path) {
    Object at = root;
    for (String key : path.split("(?<!\\\\)\\.")) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(key.replace("\\.", "."));
    }
    return (T) at;
  }
}
