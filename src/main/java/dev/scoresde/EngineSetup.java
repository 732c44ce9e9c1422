package dev.scoresde;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Applies the DJL engine settings before any bean touches the engine: DJL reads them once, from system
 * properties, when PyTorch loads. Configure with {@code score-sde.engine.intra-op-threads} and
 * {@code score-sde.engine.inter-op-threads} (or the {@code ai.djl.pytorch.*} system properties directly).
 */
public final class EngineSetup implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

  /** Nothing may be downloaded at run time: the native libtorch comes from the classpath jar. */
  public static void offlineByDefault() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    Environment env = event.getEnvironment();
    copy(env, "score-sde.engine.intra-op-threads", "ai.djl.pytorch.num_threads");
    copy(env, "score-sde.engine.inter-op-threads", "ai.djl.pytorch.num_interop_threads");
  }

  private static void copy(Environment env, String key, String systemProperty) {
    String value = env.getProperty(key);
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      if (Integer.parseInt(value.trim()) < 1) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a positive integer, got '" + value + "'");
    }
    System.setProperty(systemProperty, value.trim());
  }
}
