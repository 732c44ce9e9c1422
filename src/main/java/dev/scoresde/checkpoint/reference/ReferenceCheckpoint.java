package dev.scoresde.checkpoint.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.scoresde.checkpoint.torch.TorchCheckpoint;
import dev.scoresde.checkpoint.torch.TorchFormatException;
import dev.scoresde.checkpoint.torch.TorchTensor;
import dev.scoresde.checkpoint.torch.TorchValues;
import dev.scoresde.nn.reference.ReferenceNetwork;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint of the reference implementation ({@code checkpoint_N.pth}, written by its
 * {@code utils.save_checkpoint}: {@code {'optimizer', 'model', 'ema', 'step'}}) mapped onto a
 * {@link ReferenceNetwork}, strictly: {@code model} is the DataParallel state dict ("module." keys), and
 * every key must be a parameter of the network or one of its buffers (whose values must equal what the
 * config implies), and none may be missing — the reference itself restores with {@code strict=False},
 * which would hide a wrong config. The EMA's {@code shadow_params} is a list in {@code model.parameters()}
 * order holding only parameters with {@code requires_grad} (so not the Fourier layer's W, which comes from
 * the state dict); it maps onto the state dict's trainable keys in their order, shape checked one by one.
 */
public final class ReferenceCheckpoint {
  /** Which weights to load: the EMA's (the reference evaluates and samples with them) or the raw ones. */
  public enum Weights { EMA, MODEL }

  /** What was read besides the weights. */
  public record Contents(long step, double emaDecay, long emaUpdates, int parameters, long values) {}

  private static final String PREFIX = "module.";

  private ReferenceCheckpoint() {}

  /**
   * Reads {@code file} and copies its {@code weights} into {@code network}'s (initialised) parameters.
   *
   * @throws IOException naming what does not fit: a bad or hostile file, a missing or unused key, a shape
   *     that differs, sigmas that contradict the config
   */
  public static Contents load(Path file, ReferenceNetwork network, Weights weights) throws IOException {
    try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) {
      Map<String, Object> root = TorchValues.asStringMap(ckpt.root(), "checkpoint");
      Map<String, Object> stateDict = stripPrefix(TorchValues.asStringMap(TorchValues.get(root, "model", "checkpoint"),
          "checkpoint.model"));
      Map<String, Object> ema = TorchValues.asStringMap(TorchValues.get(root, "ema", "checkpoint"), "checkpoint.ema");
      long step = TorchValues.asLong(TorchValues.get(root, "step", "checkpoint"), "checkpoint.step");
      Map<String, Parameter> params = network.parameters();
      Map<String, double[]> buffers = network.buffers();
      checkKeys(file, stateDict, params, buffers);
      for (Map.Entry<String, double[]> b : buffers.entrySet()) {
        checkBuffer(b.getKey(), TorchValues.asTensor(stateDict.get(b.getKey()), "model." + b.getKey()), b.getValue());
      }
      List<String> trainable = new ArrayList<>();
      for (String key : stateDict.keySet()) {
        if (params.containsKey(key) && params.get(key).requiresGradient()) {
          trainable.add(key);
        }
      }
      List<Object> shadow = TorchValues.asList(TorchValues.get(ema, "shadow_params", "checkpoint.ema"),
          "checkpoint.ema.shadow_params");
      if (shadow.size() != trainable.size()) {
        throw new TorchFormatException(file + ": ema.shadow_params holds " + shadow.size()
            + " tensors, but the network has " + trainable.size() + " trainable parameters: the config does not"
            + " describe the network that wrote this checkpoint");
      }
      Map<String, TorchTensor> chosen = new LinkedHashMap<>();
      for (String key : stateDict.keySet()) {
        if (params.containsKey(key)) {
          chosen.put(key, TorchValues.asTensor(stateDict.get(key), "model." + key));
        }
      }
      if (weights == Weights.EMA) {
        for (int i = 0; i < trainable.size(); i++) {
          chosen.put(trainable.get(i), TorchValues.asTensor(shadow.get(i),
              "ema.shadow_params[" + i + "] (" + trainable.get(i) + ")"));
        }
      }
      long values = 0;
      for (Map.Entry<String, TorchTensor> e : chosen.entrySet()) {
        values += copy(e.getKey(), e.getValue(), params.get(e.getKey()));
      }
      double decay = ema.containsKey("decay") ? TorchValues.asDouble(ema.get("decay"), "ema.decay") : Double.NaN;
      long updates = ema.get("num_updates") instanceof Long n ? n : -1;
      return new Contents(step, decay, updates, chosen.size(), values);
    }
  }

  private static Map<String, Object> stripPrefix(Map<String, Object> stateDict) throws TorchFormatException {
    long prefixed = stateDict.keySet().stream().filter(k -> k.startsWith(PREFIX)).count();
    if (prefixed != 0 && prefixed != stateDict.size()) {
      throw new TorchFormatException("model state dict mixes keys with and without the DataParallel prefix '"
          + PREFIX + "'");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    stateDict.forEach((k, v) -> out.put(prefixed == 0 ? k : k.substring(PREFIX.length()), v));
    return out;
  }

  private static void checkKeys(Path file, Map<String, Object> stateDict, Map<String, Parameter> params,
      Map<String, double[]> buffers) throws TorchFormatException {
    List<String> missing = new ArrayList<>();
    for (String k : params.keySet()) {
      if (!stateDict.containsKey(k)) {
        missing.add(k);
      }
    }
    for (String k : buffers.keySet()) {
      if (!stateDict.containsKey(k)) {
        missing.add(k);
      }
    }
    List<String> unused = new ArrayList<>();
    for (String k : stateDict.keySet()) {
      if (!params.containsKey(k) && !buffers.containsKey(k)) {
        unused.add(k);
      }
    }
    if (!missing.isEmpty() || !unused.isEmpty()) {
      throw new TorchFormatException(file + " does not fit the configured network ("
          + params.size() + " parameters): " + (missing.isEmpty() ? "" : missing.size() + " missing "
          + head(missing) + " ") + (unused.isEmpty() ? "" : unused.size() + " unused " + head(unused))
          + " — check the config and its overrides");
    }
  }

  private static String head(List<String> keys) {
    return keys.size() <= 5 ? keys.toString() : keys.subList(0, 5) + "…";
  }

  private static void checkBuffer(String name, TorchTensor t, double[] expected) throws IOException {
    double[] got = t.toDoubleArray();
    if (got.length != expected.length) {
      throw new TorchFormatException("model." + name + " has " + got.length + " values, the config gives "
          + expected.length + " (model.num_scales)");
    }
    for (int i = 0; i < got.length; i++) {
      if (Math.abs(got[i] - expected[i]) > 1e-6 * Math.abs(expected[i])) {
        throw new TorchFormatException("model." + name + "[" + i + "] = " + got[i] + " but the config gives "
            + expected[i] + " (model.sigma_min, sigma_max, num_scales)");
      }
    }
  }

  private static long copy(String key, TorchTensor t, Parameter p) throws IOException {
    NDArray target = p.getArray();
    long[] want = target.getShape().getShape();
    if (!Arrays.equals(t.shape(), want)) {
      throw new TorchFormatException(key + " has shape " + Arrays.toString(t.shape()) + " in the checkpoint, the "
          + "configured network expects " + Arrays.toString(want));
    }
    if (!t.dtype().isFloatingPoint()) {
      throw new TorchFormatException(key + " is " + t.dtype() + ", expected floating point");
    }
    float[] v = t.toFloatArray();
    target.set(FloatBuffer.wrap(v));
    return v.length;
  }
}
