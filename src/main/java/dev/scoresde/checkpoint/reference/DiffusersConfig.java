package dev.scoresde.checkpoint.reference;

import dev.scoresde.nn.reference.ReferenceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A diffusers {@code UNet2DModel} config.json (+ its scheduler's scheduler_config.json) translated to the
 * reference configuration whose network computes the same function, or refused with the reason. Keys a
 * config.json omits take UNet2DModel's defaults (diffusers 0.27), as diffusers itself would.
 *
 * <p>Two families have an equivalent: the NCSN++ ports (google/ncsnpp-*: Fourier embedding, Skip/AttnSkip
 * blocks; reference {@code ncsnpp}, BigGAN blocks, FIR [1,3,3,1], skip_rescale, output_skip, input_skip, sum,
 * scale_by_sigma, VE continuous) and DDPM-style UNets (Down/Up blocks, positional embedding; reference
 * {@code ddpm}, VP discrete with labels = the integer timestep).
 *
 * @param reference the equivalent reference config
 * @param overrides the options set on top of {@link #template}, as the reference names them
 * @param template the reference config the overrides apply to
 * @param family which mapping of parameter names applies
 * @param flipSinToCos positional embedding ordered cos, sin: the first time-embedding layer's input columns
 *     are swapped to the reference's sin, cos
 * @param blockAttention the levels (0 = full resolution) whose blocks attend
 */
public record DiffusersConfig(ReferenceConfig reference, Map<String, String> overrides, String template,
    Family family, boolean flipSinToCos, List<String> blockAttention) {

  /** The reference network family a diffusers UNet maps onto. */
  public enum Family { NCSNPP, DDPM }

  static final String NCSNPP_TEMPLATE = "ve/celebahq_256_ncsnpp_continuous";
  static final String DDPM_TEMPLATE = "vp/ddpm/cifar10";

  /**
   * @throws IllegalArgumentException naming the option that has no reference equivalent
   */
  public static DiffusersConfig translate(JsonNode unet, JsonNode scheduler) {
    String cls = unet.path("_class_name").asString("UNet2DModel");
    require(cls.equals("UNet2DModel"), "config.json describes a " + cls + "; only UNet2DModel is imported");
    List<String> down = strings(unet, "down_block_types",
        List.of("DownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"));
    List<String> up = strings(unet, "up_block_types",
        List.of("AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "UpBlock2D"));
    List<Integer> boc = ints(unet, "block_out_channels", List.of(224, 448, 672, 896));
    int levels = boc.size();
    require(down.size() == levels && up.size() == levels, "down_block_types, up_block_types and "
        + "block_out_channels must have the same length");
    int inChannels = unet.path("in_channels").asInt(3);
    int outChannels = unet.path("out_channels").asInt(3);
    require(inChannels == outChannels, "in_channels " + inChannels + " != out_channels " + outChannels
        + ": the reference's networks output an image of the input's channels");
    int size = sampleSize(unet);
    int layers = unet.path("layers_per_block").asInt(2);
    require(layers >= 0, "layers_per_block must be >= 0");
    String act = unet.path("act_fn").asString("silu");
    require(act.equals("silu") || act.equals("swish"), "act_fn '" + act + "': the time embedding's activation"
        + " is always SiLU in diffusers, the reference applies one activation everywhere; only silu/swish match");
    require(unet.path("class_embed_type").isNull() || unet.path("class_embed_type").isMissingNode(),
        "class_embed_type is set: class-conditional UNets have no reference equivalent");
    require(unet.path("num_class_embeds").isNull() || unet.path("num_class_embeds").isMissingNode(),
        "num_class_embeds is set: class-conditional UNets have no reference equivalent");
    require(unet.path("resnet_time_scale_shift").asString("default").equals("default"),
        "resnet_time_scale_shift '" + unet.path("resnet_time_scale_shift").asString() + "': the reference adds the"
        + " time embedding ('default') only");
    require(unet.path("add_attention").asBoolean(true), "add_attention = false: the reference's mid block always"
        + " attends");
    double eps = unet.path("norm_eps").asDouble(1e-5);
    require(Math.abs(eps - 1e-6) < 1e-12, "norm_eps " + eps + ": the reference's GroupNorms use 1e-6");
    int nf = boc.get(0);
    List<Integer> chMult = new ArrayList<>();
    for (int c : boc) {
      require(c % nf == 0, "block_out_channels " + boc + " are not multiples of the first (the reference's nf)");
      chMult.add(c / nf);
    }
    boolean skip = down.stream().allMatch(t -> t.equals("SkipDownBlock2D") || t.equals("AttnSkipDownBlock2D"))
        && up.stream().allMatch(t -> t.equals("SkipUpBlock2D") || t.equals("AttnSkipUpBlock2D"));
    boolean plain = down.stream().allMatch(t -> t.equals("DownBlock2D") || t.equals("AttnDownBlock2D"))
        && up.stream().allMatch(t -> t.equals("UpBlock2D") || t.equals("AttnUpBlock2D"));
    require(skip || plain, "block types " + down + " / " + up + ": the reference has an equivalent for Skip/AttnSkip"
        + " blocks (NCSN++) or Down/AttnDown/Up/AttnUp blocks (DDPM), not others or a mix");
    List<Integer> attn = new ArrayList<>();
    List<String> attnLevels = new ArrayList<>();
    for (int l = 0; l < levels; l++) {
      boolean downAttn = down.get(l).startsWith("Attn");
      boolean upAttn = up.get(levels - 1 - l).startsWith("Attn");
      require(downAttn == upAttn, "level " + l + " attends in one direction only (" + down.get(l) + " / "
          + up.get(levels - 1 - l) + "): the reference attends at the same resolutions down and up");
      if (downAttn) {
        attn.add(size >> l);
        attnLevels.add(String.valueOf(l));
      }
    }
    JsonNode head = unet.path("attention_head_dim"); // missing: diffusers' default 8; null: one head
    int headDim = head.isMissingNode() ? 8 : head.isNull() ? -1 : head.asInt();
    List<Integer> attended = new ArrayList<>();
    attended.add(boc.get(levels - 1));
    for (int l = 0; l < levels; l++) {
      if (down.get(l).startsWith("Attn")) {
        attended.add(boc.get(l));
      }
    }
    for (int c : attended) {
      require(headDim < 0 || headDim == c, "attention_head_dim " + headDim + " gives " + c + " channels "
          + Math.max(1, c / Math.max(1, headDim)) + " heads; the reference's attention has one head (set "
          + "attention_head_dim to null or the channels)");
    }
    boolean centerInput = unet.path("center_input_sample").asBoolean(false);
    double dropout = unet.path("dropout").asDouble(0);
    String embedding = unet.path("time_embedding_type").asString("positional");
    Map<String, String> o = new TreeMap<>();
    o.put("data.dataset", "diffusers");
    o.put("data.image_size", String.valueOf(size));
    o.put("data.num_channels", String.valueOf(inChannels));
    // diffusers maps x to 2x - 1 when center_input_sample; the reference when data.centered is false
    o.put("data.centered", String.valueOf(!centerInput));
    o.put("model.nf", String.valueOf(nf));
    o.put("model.ch_mult", chMult.toString());
    o.put("model.num_res_blocks", String.valueOf(layers));
    o.put("model.attn_resolutions", attn.toString());
    o.put("model.dropout", String.valueOf(dropout));
    String schedulerClass = scheduler.path("_class_name").asString("");
    if (skip) {
      require(embedding.equals("fourier"), "time_embedding_type '" + embedding + "' with Skip blocks: the NCSN++ "
          + "ports use 'fourier' (continuous σ); the reference's positional NCSN++ indexes σ by label instead");
      require(Math.abs(unet.path("mid_block_scale_factor").asDouble(1) - Math.sqrt(2)) < 1e-6,
          "mid_block_scale_factor " + unet.path("mid_block_scale_factor").asDouble(1) + ": Skip blocks rescale by √2,"
          + " the reference's skip_rescale rescales every block alike, so the mid block needs √2");
      require(inChannels == 3, "Skip blocks hard-wire 3 image channels in diffusers; in_channels is " + inChannels);
      int midGroups = Math.min(boc.get(levels - 1) / 4, 32);
      int outGroups = Math.min(nf / 4, 32);
      JsonNode groups = unet.path("norm_num_groups");
      if (!groups.isNull()) { // null: min(C/4, 32) as in the ports; missing: diffusers' default 32
        int g = groups.isMissingNode() ? 32 : groups.asInt();
        require(g == midGroups && g == outGroups, "norm_num_groups " + g + ": the reference's NCSN++ uses "
            + "min(C/4, 32) groups (" + midGroups + " in the mid block, " + outGroups + " at the output)");
      }
      JsonNode attnGroups = unet.path("attn_norm_num_groups");
      require(attnGroups.isNull() || attnGroups.isMissingNode() || attnGroups.asInt() == midGroups,
          "attn_norm_num_groups " + attnGroups + ": the reference's attention uses min(C/4, 32) = " + midGroups);
      for (int l = 0; l < levels; l++) {
        require(!down.get(l).startsWith("Attn") || boc.get(l) >= 128, "AttnSkip blocks at level " + l + " with "
            + boc.get(l) + " channels: diffusers normalises their attention with 32 groups, the reference with "
            + "min(C/4, 32) = " + Math.min(boc.get(l) / 4, 32) + "; they agree from 128 channels on");
      }
      require(schedulerClass.equals("ScoreSdeVeScheduler"), "an NCSN++ port needs its ScoreSdeVeScheduler config "
          + "(σ range), found '" + schedulerClass + "'");
      double sigmaMin = scheduler.path("sigma_min").asDouble(0.01);
      double sigmaMax = scheduler.path("sigma_max").asDouble(1348.0);
      int n = scheduler.path("num_train_timesteps").asInt(2000);
      o.put("model.sigma_min", String.valueOf(sigmaMin));
      o.put("model.sigma_max", String.valueOf(sigmaMax));
      o.put("model.num_scales", String.valueOf(n));
      return new DiffusersConfig(ReferenceConfigs.resolve(NCSNPP_TEMPLATE, o), o, NCSNPP_TEMPLATE, Family.NCSNPP,
          false, attnLevels);
    }
    require(embedding.equals("positional"), "time_embedding_type '" + embedding + "' with Down/Up blocks: the "
        + "reference's DDPM takes the positional embedding of the integer timestep");
    double shift = unet.path("freq_shift").asDouble(0);
    require(shift == 1, "freq_shift " + shift + ": the reference's get_timestep_embedding divides by half_dim - 1"
        + " (freq_shift 1); other shifts change every frequency");
    boolean flip = unet.path("flip_sin_to_cos").asBoolean(true);
    require(unet.path("mid_block_scale_factor").asDouble(1) == 1, "mid_block_scale_factor "
        + unet.path("mid_block_scale_factor").asDouble(1) + ": the reference's DDPM does not rescale residuals");
    require(unet.path("norm_num_groups").asInt(32) == 32, "norm_num_groups " + unet.path("norm_num_groups")
        + ": the reference's DDPM uses 32 groups");
    JsonNode attnGroups = unet.path("attn_norm_num_groups");
    require(attnGroups.isNull() || attnGroups.isMissingNode() || attnGroups.asInt() == 32,
        "attn_norm_num_groups " + attnGroups + ": the reference's DDPM uses 32 groups");
    require(unet.path("downsample_padding").asInt(1) == 0, "downsample_padding " + unet.path("downsample_padding")
        .asInt(1) + ": the reference's DDPM pads (0, 1, 0, 1) before its stride-2 conv ('SAME'), diffusers does so "
        + "with downsample_padding 0");
    require(unet.path("downsample_type").asString("conv").equals("conv")
        && unet.path("upsample_type").asString("conv").equals("conv"), "downsample_type/upsample_type must be conv");
    require(attn.isEmpty() || layers == 0, "attention at levels " + attnLevels + ": diffusers' AttnUpBlock2D attends"
        + " after each of its layers_per_block + 1 = " + (layers + 1) + " resnets, the reference's DDPM once per "
        + "level (after the last), so this UNet (e.g. google/ddpm-cifar10-32) has no reference equivalent");
    require(schedulerClass.equals("DDPMScheduler"), "a DDPM UNet needs its DDPMScheduler config (β schedule), "
        + "found '" + schedulerClass + "'");
    require(scheduler.path("beta_schedule").asString("linear").equals("linear")
        && (scheduler.path("trained_betas").isNull() || scheduler.path("trained_betas").isMissingNode()),
        "beta_schedule '" + scheduler.path("beta_schedule").asString("linear") + "': the reference's discrete VP SDE "
        + "has linear betas");
    require(scheduler.path("prediction_type").asString("epsilon").equals("epsilon"), "prediction_type '"
        + scheduler.path("prediction_type").asString() + "': the reference's VP models predict the noise (epsilon)");
    int n = scheduler.path("num_train_timesteps").asInt(1000);
    require(n > 1, "num_train_timesteps must be > 1");
    // DDPMScheduler: betas = linspace(beta_start, beta_end, N); the reference's DiscreteVP: linspace(β_min/N, β_max/N, N)
    o.put("model.beta_min", String.valueOf(scheduler.path("beta_start").asDouble(1e-4) * n));
    o.put("model.beta_max", String.valueOf(scheduler.path("beta_end").asDouble(0.02) * n));
    o.put("model.num_scales", String.valueOf(n));
    o.put("training.continuous", "false");
    return new DiffusersConfig(ReferenceConfigs.resolve(DDPM_TEMPLATE, o), o, DDPM_TEMPLATE, Family.DDPM, flip,
        attnLevels);
  }

  private static int sampleSize(JsonNode unet) {
    JsonNode s = unet.path("sample_size");
    if (s.isArray()) {
      require(s.size() == 2 && s.get(0).asInt() == s.get(1).asInt(), "sample_size " + s + ": the reference's "
          + "networks are square");
      return s.get(0).asInt();
    }
    require(s.isNumber(), "sample_size is missing: the image size is needed");
    return s.asInt();
  }

  private static List<String> strings(JsonNode n, String key, List<String> dflt) {
    if (!n.has(key)) {
      return dflt;
    }
    List<String> out = new ArrayList<>();
    n.get(key).forEach(v -> out.add(v.asString()));
    return out;
  }

  private static List<Integer> ints(JsonNode n, String key, List<Integer> dflt) {
    if (!n.has(key)) {
      return dflt;
    }
    List<Integer> out = new ArrayList<>();
    n.get(key).forEach(v -> out.add(v.asInt()));
    return out;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("diffusers config has no reference equivalent: " + message);
    }
  }
}
