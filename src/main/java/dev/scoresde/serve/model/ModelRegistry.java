package dev.scoresde.serve.model;

import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.serve.ServeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured models, loaded once in the background at start-up. A model that fails to load is
 * logged in one line and reported as failed; the others are served. Readiness waits for {@link #loaded()}.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /** A model's loading state. */
  public enum Status { LOADING, READY, FAILED, DISABLED }

  /**
   * @param name the registry name
   * @param kind checkpoint or gaussian-mixture
   * @param status where loading stands
   * @param model the served model when READY
   * @param error why it failed, when FAILED
   */
  public record Entry(String name, String kind, Status status, ServedModel model, String error) {}

  private final Map<String, Entry> entries = Collections.synchronizedMap(new LinkedHashMap<>());
  private final CompletableFuture<Void> loaded;

  /** Starts loading every enabled model on a background thread. */
  public ModelRegistry(ModelsProperties properties, CheckpointStore store) {
    properties.models().forEach((name, m) -> entries.put(name, new Entry(name, m.kindOrDefault(),
        m.isEnabled() ? Status.LOADING : Status.DISABLED, null, null)));
    loaded = CompletableFuture.runAsync(() -> properties.models().forEach((name, m) -> {
      if (m.isEnabled()) {
        entries.put(name, load(name, m, store));
      }
    }), r -> {
      Thread t = new Thread(r, "model-loader");
      t.setDaemon(true);
      t.start();
    });
  }

  private static Entry load(String name, ModelsProperties.Model m, CheckpointStore store) {
    long start = System.nanoTime();
    try {
      ServedModel model = switch (m.kindOrDefault()) {
        case "checkpoint" -> CheckpointModels.load(name, m.folder(), m.classifier(), m.deviceOrDefault(),
            m.guidanceOrDefault(), store).withSampler(m.sampler());
        case "gaussian-mixture" -> MixtureModels.create(name, m.mixture(), m.deviceOrDefault())
            .withGuidance(m.guidanceOrDefault()).withSampler(m.sampler());
        default -> throw new IllegalArgumentException("unknown model kind '" + m.kind()
            + "' (expected checkpoint or gaussian-mixture)");
      };
      LOG.info("model '{}' loaded ({}, {}, shape {}) in {} ms", name, model.kind(), model.sde().kind().id(),
          model.shape(), (System.nanoTime() - start) / 1_000_000);
      return new Entry(name, m.kindOrDefault(), Status.READY, model, null);
    } catch (Exception | LinkageError e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.error("model '{}' failed to load and is not served: {}", name, why);
      return new Entry(name, m.kindOrDefault(), Status.FAILED, null, why);
    }
  }

  /** Completes when every enabled model has loaded or failed. */
  public CompletableFuture<Void> loaded() {
    return loaded;
  }

  public List<Entry> entries() {
    synchronized (entries) {
      return new ArrayList<>(entries.values());
    }
  }

  public Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new ServeException(ServeException.Kind.NOT_FOUND, "unknown model '" + name + "' (models: "
          + entries().stream().map(Entry::name).toList() + ")");
    }
    return e;
  }

  /** The ready model of that name; 404 if unknown, 503 if loading, failed or disabled. */
  public ServedModel require(String name) {
    Entry e = entry(name);
    return switch (e.status()) {
      case READY -> e.model();
      case LOADING -> throw new ServeException(ServeException.Kind.UNAVAILABLE, "model '" + name
          + "' is still loading", 5);
      case FAILED -> throw new ServeException(ServeException.Kind.UNAVAILABLE, "model '" + name
          + "' failed to load: " + e.error());
      case DISABLED -> throw new ServeException(ServeException.Kind.UNAVAILABLE, "model '" + name
          + "' is disabled in the configuration");
    };
  }

  @Override
  public void close() {
    for (Entry e : entries()) {
      if (e.model() != null) {
        e.model().close();
      }
    }
  }
}
