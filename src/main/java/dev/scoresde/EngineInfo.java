package dev.scoresde;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Loads the engine once and prints what it found: {@code java -cp score-sde.jar dev.scoresde.EngineInfo}.
 * The image build runs it to prove that libtorch loads offline from the image alone; operators run it to
 * see whether a GPU image sees its GPUs. Exits 1 when the engine cannot run a tensor operation.
 */
public final class EngineInfo {
  private EngineInfo() {}

  public static void main(String[] args) {
    EngineSetup.offlineByDefault();
    Engine engine = Engine.getEngine("PyTorch");
    int gpus = engine.getGpuCount();
    Device device = engine.defaultDevice();
    try (NDManager m = NDManager.newBaseManager(device)) {
      float sum = m.ones(new Shape(4)).sum().getFloat();
      if (sum != 4f) {
        throw new IllegalStateException("1+1+1+1 = " + sum);
      }
    } catch (RuntimeException e) {
      System.err.println("engine check failed on " + device + ": " + e);
      System.exit(1);
    }
    System.out.printf("PyTorch %s, flavor %s, %d GPU(s), default device %s, library path %s%n", engine.getVersion(),
        env("PYTORCH_FLAVOR", "from the classpath jar"), gpus, device,
        env("PYTORCH_LIBRARY_PATH", "(classpath jar, extracted to the DJL cache)"));
  }

  private static String env(String name, String otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : v;
  }
}
