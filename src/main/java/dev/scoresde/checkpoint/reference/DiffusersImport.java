package dev.scoresde.checkpoint.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.ImportedFrom;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.checkpoint.torch.TorchCheckpoint;
import dev.scoresde.checkpoint.torch.TorchFormatException;
import dev.scoresde.checkpoint.torch.TorchTensor;
import dev.scoresde.checkpoint.torch.TorchValues;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.reference.ReferenceConfig;
import dev.scoresde.nn.reference.ReferenceNetwork;
import dev.scoresde.nn.reference.ReferenceNetworks;
import dev.scoresde.tensor.ValueRange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports a Hugging Face diffusers {@code UNet2DModel} (a pipeline folder with {@code unet/} and
 * {@code scheduler/}, or a UNet folder with {@code config.json}, weights and a {@code scheduler_config.json}
 * beside it or in {@code ../scheduler/}) as the reference network that computes the same function
 * ({@link DiffusersConfig}), strictly: every diffusers key is used exactly once, every reference parameter is
 * set, shapes are equal after the mapping's transposes.
 *
 * <p>The mapping is the inverse of diffusers' conversion of the reference's {@code all_modules.N} list: the
 * reference modules are enumerated in ncsnpp.py / ddpm.py order and each is matched to the diffusers module
 * at the same place (time embedding, conv_in, down blocks' resnets/attentions/resnet_down/skip_conv or
 * downsamplers, mid block, up blocks' resnets/attention/skip_norm/skip_conv/resnet_up or upsamplers,
 * conv_norm_out/conv_out — the last two are the reference's final output-skip GroupNorm and conv for NCSN++).
 * Resnets: norm1, conv1, time_emb_proj, norm2, conv2, conv_shortcut → GroupNorm_0, Conv_0, Dense_0,
 * GroupNorm_1, Conv_1, Conv_2 (BigGAN) or NIN_0 (DDPM, the 1×1 conv's (out, in) transposed to NIN's (in, out));
 * attention: group_norm, to_q, to_k, to_v, to_out.0 (or the older query, key, value, proj_attn) → GroupNorm_0,
 * NIN_0..3 with the Linear weight transposed; Fourier: time_proj.W and time_proj.weight (one tensor) → W.
 * With flip_sin_to_cos the first time-embedding layer's input columns are swapped (cos, sin → sin, cos).
 *
 * <p>What the network returns is what UNet2DModel returns: NCSN++ divides by σ (diffusers divides its Fourier
 * output by the timestep, the reference's scale_by_sigma by its label σ); DDPM predicts ε of the integer
 * timestep, the reference's discrete-VP label t·(N − 1).
 */
public final class DiffusersImport {
  public static final String IMPLEMENTATION = "huggingface/diffusers UNet2DModel";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What was imported. */
  public record Result(Path folder, ModelCard card, DiffusersConfig config, int tensors, long parameterCount) {}

  /** Where a reference parameter comes from. */
  record Source(String key, Transform transform) {}

  enum Transform { COPY, TRANSPOSE, SWAP_INPUT_HALVES }

  /** A diffusers tensor: shape and float32 values. */
  record Tensor(long[] shape, float[] values) {}

  private DiffusersImport() {}

  /** The UNet folder of a pipeline or UNet folder. */
  public static Path unetFolder(Path dir) {
    return Files.isRegularFile(dir.resolve("unet").resolve("config.json")) ? dir.resolve("unet") : dir;
  }

  public static Result run(Path dir, Path out, String name) throws IOException {
    Path unet = unetFolder(dir);
    Path configFile = unet.resolve("config.json");
    if (!Files.isRegularFile(configFile)) {
      throw new IOException("no diffusers UNet in " + dir + ": neither config.json nor unet/config.json");
    }
    Path schedulerFile = null;
    for (Path p : List.of(dir.resolve("scheduler").resolve("scheduler_config.json"), dir.resolve("scheduler_config.json"),
        unet.resolve("scheduler_config.json"), unet.resolveSibling("scheduler").resolve("scheduler_config.json"))) {
      if (Files.isRegularFile(p)) {
        schedulerFile = p;
        break;
      }
    }
    if (schedulerFile == null) {
      throw new IOException("no scheduler_config.json for " + dir + " (looked in scheduler/, beside the UNet and in "
          + "../scheduler/): it gives the σ range (ScoreSdeVeScheduler) or β schedule (DDPMScheduler)");
    }
    Path weights = unet.resolve("diffusion_pytorch_model.safetensors");
    if (!Files.isRegularFile(weights)) {
      weights = unet.resolve("diffusion_pytorch_model.bin");
    }
    if (!Files.isRegularFile(weights)) {
      throw new IOException("no diffusion_pytorch_model.safetensors or .bin in " + unet);
    }
    JsonNode unetJson = JSON.readTree(configFile.toFile());
    JsonNode schedulerJson = JSON.readTree(schedulerFile.toFile());
    DiffusersConfig config = DiffusersConfig.translate(unetJson, schedulerJson);
    try (NDManager manager = NDManager.newBaseManager()) {
      ReferenceNetwork network = ReferenceNetworks.create(config.reference());
      ReferenceNetworks.initialize(network, manager, 1);
      Map<String, Tensor> tensors = read(weights, manager);
      int used = load(network, config, tensors, weights.toString());
      Map<String, String> provenance = new TreeMap<>(config.overrides());
      provenance.put("diffusers.folder", dir.toAbsolutePath().normalize().toString());
      provenance.put("diffusers.config", JSON.writeValueAsString(unetJson));
      provenance.put("diffusers.scheduler_config", JSON.writeValueAsString(schedulerJson));
      ModelCard card = card(config, provenance, dir, unet.relativize(weights).toString(), weights, name);
      NamedParameters values = NamedParameters.of(network);
      Path folder = CheckpointWriter.writeModelFolder(out, card, values.toNamedList(""));
      return new Result(folder, card, config, used, values.count());
    }
  }

  /** The weights file's tensors by name, as float32. */
  static Map<String, Tensor> read(Path weights, NDManager manager) throws IOException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    if (weights.getFileName().toString().endsWith(".safetensors")) {
      try (NDManager sub = manager.newSubManager(); InputStream in = Files.newInputStream(weights)) {
        for (NDArray a : NDList.decode(sub, in)) {
          if (!a.getDataType().isFloating()) {
            throw new TorchFormatException(weights + ": " + a.getName() + " is " + a.getDataType() + ", expected floats");
          }
          out.put(a.getName(), new Tensor(a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray()));
        }
      }
      return out;
    }
    try (TorchCheckpoint ckpt = TorchCheckpoint.open(weights)) {
      for (Map.Entry<String, Object> e : TorchValues.asStringMap(ckpt.root(), "state dict").entrySet()) {
        TorchTensor t = TorchValues.asTensor(e.getValue(), e.getKey());
        if (!t.dtype().isFloatingPoint()) {
          throw new TorchFormatException(weights + ": " + e.getKey() + " is " + t.dtype() + ", expected floats");
        }
        out.put(e.getKey(), new Tensor(t.shape(), t.toFloatArray()));
      }
    }
    return out;
  }

  /**
   * Copies {@code tensors} into {@code network}'s parameters per {@link #mapping}; returns the number of
   * diffusers keys used.
   *
   * @throws TorchFormatException for a missing, unused or twice-used key, or a shape that differs
   */
  static int load(ReferenceNetwork network, DiffusersConfig config, Map<String, Tensor> raw, String what)
      throws TorchFormatException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : raw.entrySet()) {
      String k = canonical(e.getKey());
      if (tensors.put(k, e.getValue()) != null) {
        throw new TorchFormatException(what + ": " + e.getKey() + " given twice (old and new attention names)");
      }
    }
    Map<String, Parameter> params = network.parameters();
    Map<String, List<Source>> mapping = mapping(config, params.keySet());
    List<String> missing = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    List<String> twice = new ArrayList<>();
    for (List<Source> sources : mapping.values()) {
      for (Source s : sources) {
        if (!tensors.containsKey(s.key())) {
          missing.add(s.key());
        } else if (!used.add(s.key())) {
          twice.add(s.key());
        }
      }
    }
    List<String> unused = new ArrayList<>();
    for (String k : tensors.keySet()) {
      if (!used.contains(k)) {
        unused.add(k);
      }
    }
    if (!missing.isEmpty() || !unused.isEmpty() || !twice.isEmpty()) {
      throw new TorchFormatException(what + " does not fit the UNet its config.json describes: "
          + (missing.isEmpty() ? "" : missing.size() + " missing " + head(missing) + " ")
          + (unused.isEmpty() ? "" : unused.size() + " unused " + head(unused) + " ")
          + (twice.isEmpty() ? "" : twice.size() + " used twice " + head(twice)));
    }
    for (Map.Entry<String, List<Source>> e : mapping.entrySet()) {
      List<Source> sources = e.getValue();
      Tensor first = transform(tensors.get(sources.get(0).key()), sources.get(0));
      for (Source other : sources.subList(1, sources.size())) {
        Tensor t = transform(tensors.get(other.key()), other);
        if (!Arrays.equals(t.values(), first.values()) || !Arrays.equals(t.shape(), first.shape())) {
          throw new TorchFormatException(what + ": " + other.key() + " differs from " + sources.get(0).key()
              + " though both are the reference's " + e.getKey());
        }
      }
      NDArray target = params.get(e.getKey()).getArray();
      long[] want = target.getShape().getShape();
      if (!Arrays.equals(first.shape(), want)) {
        throw new TorchFormatException(sources.get(0).key() + " has shape " + Arrays.toString(first.shape())
            + " (as the reference's " + e.getKey() + "), the configured network expects " + Arrays.toString(want));
      }
      target.set(FloatBuffer.wrap(first.values()));
    }
    return used.size();
  }

  /** Older diffusers attention names (query, key, value, proj_attn) as the current ones. */
  static String canonical(String key) {
    if (!key.contains(".attentions.")) {
      return key;
    }
    return key.replace(".query.", ".to_q.").replace(".key.", ".to_k.").replace(".value.", ".to_v.")
        .replace(".proj_attn.", ".to_out.0.");
  }

  /**
   * Each reference parameter's diffusers source(s), for the network {@code config} describes; checks that
   * the enumeration covers exactly the network's parameters.
   */
  static Map<String, List<Source>> mapping(DiffusersConfig config, Set<String> referenceNames) {
    ReferenceConfig.ModelOptions m = config.reference().model();
    int levels = m.chMult().size();
    int blocks = m.numResBlocks();
    boolean ncsnpp = config.family() == DiffusersConfig.Family.NCSNPP;
    int imageSize = config.reference().data().imageSize();
    List<String[]> modules = new ArrayList<>(); // {diffusers prefix, kind}
    if (ncsnpp) {
      modules.add(new String[] {"time_proj", "fourier"});
    }
    modules.add(new String[] {"time_embedding.linear_1", config.flipSinToCos() ? "plain-flip" : "plain"});
    modules.add(new String[] {"time_embedding.linear_2", "plain"});
    modules.add(new String[] {"conv_in", "plain"});
    for (int l = 0; l < levels; l++) {
      boolean attn = m.attnResolutions().contains(imageSize >> l);
      for (int j = 0; j < blocks; j++) {
        modules.add(new String[] {"down_blocks." + l + ".resnets." + j, "resnet"});
        if (attn) {
          modules.add(new String[] {"down_blocks." + l + ".attentions." + j, "attn"});
        }
      }
      if (l != levels - 1) {
        if (ncsnpp) {
          modules.add(new String[] {"down_blocks." + l + ".resnet_down", "resnet"});
          modules.add(new String[] {"down_blocks." + l + ".skip_conv", "combine"});
        } else {
          modules.add(new String[] {"down_blocks." + l + ".downsamplers.0.conv", "resample"});
        }
      }
    }
    modules.add(new String[] {"mid_block.resnets.0", "resnet"});
    modules.add(new String[] {"mid_block.attentions.0", "attn"});
    modules.add(new String[] {"mid_block.resnets.1", "resnet"});
    for (int i = 0; i < levels; i++) {
      int l = levels - 1 - i;
      for (int j = 0; j < blocks + 1; j++) {
        modules.add(new String[] {"up_blocks." + i + ".resnets." + j, "resnet"});
      }
      if (m.attnResolutions().contains(imageSize >> l)) {
        modules.add(new String[] {"up_blocks." + i + ".attentions.0", "attn"});
      }
      if (ncsnpp) { // output_skip: GroupNorm + conv3x3 per level; diffusers' level 0 pair is conv_norm_out/conv_out
        modules.add(new String[] {l != 0 ? "up_blocks." + i + ".skip_norm" : "conv_norm_out", "plain"});
        modules.add(new String[] {l != 0 ? "up_blocks." + i + ".skip_conv" : "conv_out", "plain"});
        if (l != 0) {
          modules.add(new String[] {"up_blocks." + i + ".resnet_up", "resnet"});
        }
      } else if (l != 0) {
        modules.add(new String[] {"up_blocks." + i + ".upsamplers.0.conv", "resample"});
      }
    }
    if (!ncsnpp) {
      modules.add(new String[] {"conv_norm_out", "plain"});
      modules.add(new String[] {"conv_out", "plain"});
    }
    Map<String, List<Source>> out = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String name : referenceNames) {
      String[] parts = name.split("\\.", 3); // all_modules, N, rest
      int index = Integer.parseInt(parts[1]);
      if (!parts[0].equals("all_modules") || index >= modules.size()) {
        throw new IllegalStateException("reference parameter " + name + " is not covered by the diffusers mapping");
      }
      String[] mod = modules.get(index);
      out.put(name, sources(mod[0], mod[1], parts[2], name));
      seen.add(parts[1]);
    }
    if (seen.size() != modules.size()) {
      throw new IllegalStateException("the diffusers mapping enumerates " + modules.size() + " modules, the reference"
          + " network has parameters in " + seen.size());
    }
    return out;
  }

  private static List<Source> sources(String prefix, String kind, String leaf, String name) {
    switch (kind) {
      case "fourier" -> {
        require(leaf.equals("W"), name);
        return List.of(new Source(prefix + ".W", Transform.COPY), new Source(prefix + ".weight", Transform.COPY));
      }
      case "plain", "plain-flip" -> {
        require(leaf.equals("weight") || leaf.equals("bias"), name);
        Transform t = kind.equals("plain-flip") && leaf.equals("weight") ? Transform.SWAP_INPUT_HALVES : Transform.COPY;
        return List.of(new Source(prefix + "." + leaf, t));
      }
      case "combine", "resample" -> {
        require(leaf.equals("Conv_0.weight") || leaf.equals("Conv_0.bias"), name);
        return List.of(new Source(prefix + "." + leaf.substring("Conv_0.".length()), Transform.COPY));
      }
      case "resnet" -> {
        String[] p = leaf.split("\\.");
        require(p.length == 2, name);
        String target = switch (p[0]) {
          case "GroupNorm_0" -> "norm1";
          case "Conv_0" -> "conv1";
          case "Dense_0" -> "time_emb_proj";
          case "GroupNorm_1" -> "norm2";
          case "Conv_1" -> "conv2";
          case "Conv_2", "NIN_0" -> "conv_shortcut";
          default -> throw new IllegalStateException("unmapped reference resnet parameter " + name);
        };
        return List.of(nin(prefix + "." + target, p[1], name));
      }
      case "attn" -> {
        String[] p = leaf.split("\\.");
        require(p.length == 2, name);
        String target = switch (p[0]) {
          case "GroupNorm_0" -> "group_norm";
          case "NIN_0" -> "to_q";
          case "NIN_1" -> "to_k";
          case "NIN_2" -> "to_v";
          case "NIN_3" -> "to_out.0";
          default -> throw new IllegalStateException("unmapped reference attention parameter " + name);
        };
        return List.of(nin(prefix + "." + target, p[1], name));
      }
      default -> throw new IllegalStateException(kind);
    }
  }

  /** NIN's W (in, out) is the transposed weight of a Linear or 1×1 conv; b is its bias. */
  private static Source nin(String prefix, String leaf, String name) {
    return switch (leaf) {
      case "W" -> new Source(prefix + ".weight", Transform.TRANSPOSE);
      case "b" -> new Source(prefix + ".bias", Transform.COPY);
      case "weight", "bias" -> new Source(prefix + "." + leaf, Transform.COPY);
      default -> throw new IllegalStateException("unmapped reference parameter " + name);
    };
  }

  private static void require(boolean ok, String name) {
    if (!ok) {
      throw new IllegalStateException("unmapped reference parameter " + name);
    }
  }

  static Tensor transform(Tensor t, Source s) throws TorchFormatException {
    long[] shape = t.shape();
    float[] v = t.values();
    switch (s.transform()) {
      case COPY -> {
        return t;
      }
      case TRANSPOSE -> {
        boolean conv1x1 = shape.length == 4 && shape[2] == 1 && shape[3] == 1;
        if (shape.length != 2 && !conv1x1) {
          throw new TorchFormatException(s.key() + " has shape " + Arrays.toString(shape) + ", expected a Linear's "
              + "(out, in) or a 1×1 conv's (out, in, 1, 1)");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] o = new float[v.length];
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < cols; c++) {
            o[c * rows + r] = v[r * cols + c];
          }
        }
        return new Tensor(new long[] {cols, rows}, o);
      }
      case SWAP_INPUT_HALVES -> {
        if (shape.length != 2 || shape[1] % 2 != 0) {
          throw new TorchFormatException(s.key() + " has shape " + Arrays.toString(shape) + ", expected (out, even in)");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        int half = cols / 2;
        float[] o = new float[v.length];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(v, r * cols + half, o, r * cols, half);
          System.arraycopy(v, r * cols, o, r * cols + half, half);
        }
        return new Tensor(shape, o);
      }
      default -> throw new IllegalStateException();
    }
  }

  private static String head(List<String> keys) {
    return keys.size() <= 5 ? keys.toString() : keys.subList(0, 5) + "…";
  }

  private static ModelCard card(DiffusersConfig dc, Map<String, String> provenance, Path dir, String file,
      Path weights, String name) throws IOException {
    ReferenceConfig config = dc.reference();
    ReferenceConfig.ModelOptions m = config.model();
    ReferenceConfig.Data d = config.data();
    SdeSpec sde = ReferenceImport.sdeSpec(config); // VE for the NCSN++ ports, VP for DDPM (their templates')
    String label = dir.toAbsolutePath().normalize().getFileName().toString();
    String now = Instant.now().toString();
    String objective = "imported from " + IMPLEMENTATION + " (" + label + ", as the reference's "
        + m.name().name().toLowerCase(java.util.Locale.ROOT) + ", " + (config.training().continuous() ? "continuous"
        : "discrete") + " time)";
    Provenance p = new Provenance(d.dataset(), objective, 0, 0, 0, Double.NaN, now);
    ImportedFrom from = new ImportedFrom(IMPLEMENTATION, file, ReferenceImport.sha256(weights), Files.size(weights),
        "diffusers:" + label + " as " + dc.template() + " + overrides", provenance, 0, Double.NaN, now);
    // The value range is the pipeline's, not the network's input step: ScoreSdeVePipeline samples images in
    // [0, 1] (its ports feed x to the network as is, center_input_sample = false), DDPMPipeline in [−1, 1].
    ValueRange range = dc.family() == DiffusersConfig.Family.NCSNPP ? ValueRange.UNIT
        : d.centered() ? ValueRange.SYMMETRIC : ValueRange.UNIT;
    return new ModelCard(ModelCard.FORMAT_VERSION, name != null ? name : label, sde, NetworkSpec.reference(config),
        DataShape.image(d.numChannels(), d.imageSize(), d.imageSize()), range, List.of(), 0, p, from);
  }
}
