package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.scoresde.nn.reference.ReferenceConfig.Progressive;
import java.util.ArrayList;
import java.util.List;

/**
 * The DDPM++ / NCSN++ score U-Net (Song et al. 2021, Appendix H; reference ncsnpp.py with BigGAN residual
 * blocks): the {@link Encoder}, then per resolution (lowest first) numResBlocks + 1 residual blocks on the
 * concatenated skips, attention where listed, the optional output pyramid ("output_skip": GroupNorm→
 * SiLU→conv3x3 to image channels per resolution, FIR-upsampled and summed; "residual": upsampled by a
 * resampling conv and added to h, ×1/√2) and an upsampling residual block; then GroupNorm→SiLU→conv3x3
 * (zero-initialised) to the image channels. Input NDList(x, cond[, labels]), output NDList(y) shaped like x.
 * The network rescales nothing: NetworkScoreModel divides by σ (VE) or treats y as the noise (VP).
 */
final class UNet extends Layer {
  /** One resolution of the up path; {@code attn}, {@code pyramidNorm}, {@code pyramidConv}, {@code pyramidUp}, {@code up} may be null. */
  private record Level(List<ResnetBlock> blocks, AttnBlock attn, GroupNorm pyramidNorm, Conv pyramidConv,
      Resample pyramidUp, ResnetBlock up) {}

  private final Progressive progressive;
  private final boolean skipRescale;
  private final int numClasses;
  private final TimeEmbedding temb;
  private final Encoder encoder;
  private final List<Level> levels = new ArrayList<>(); // lowest resolution first
  private final GroupNorm normOut; // null with output_skip
  private final Conv convOut; // null with output_skip

  UNet(NetworkSpec spec) {
    progressive = spec.progressive();
    skipRescale = spec.skipRescale();
    numClasses = spec.numClasses();
    temb = addChildBlock("temb", new TimeEmbedding(spec.embedding(), spec.nf(), spec.fourierScale(), numClasses));
    encoder = addChildBlock("encoder", new Encoder(spec, temb.dim));
    List<Integer> skips = new ArrayList<>(encoder.skipChannels);
    List<Integer> mult = spec.chMult();
    int in = encoder.outChannels;
    int pyramidCh = 0;
    for (int level = mult.size() - 1; level >= 0; level--) {
      List<ResnetBlock> blocks = new ArrayList<>();
      int out = spec.nf() * mult.get(level);
      for (int b = 0; b <= spec.numResBlocks(); b++) {
        int skip = skips.remove(skips.size() - 1);
        blocks.add(addChildBlock("up" + level + "_block" + b, new ResnetBlock(in + skip, out, temb.dim, false, false, spec)));
        in = out;
      }
      AttnBlock attn = spec.attnResolutions().contains(spec.imageSize() >> level)
          ? addChildBlock("up" + level + "_attn", new AttnBlock(in, skipRescale)) : null;
      GroupNorm pyramidNorm = null;
      Conv pyramidConv = null;
      Resample pyramidUp = null;
      boolean top = level == mult.size() - 1;
      if (progressive == Progressive.OUTPUT_SKIP) {
        if (!top) {
          pyramidUp = addChildBlock("up" + level + "_pyramidUp", new Resample(true, pyramidCh, pyramidCh, false, spec.fir()));
        }
        pyramidNorm = addChildBlock("up" + level + "_pyramidNorm", new GroupNorm(in));
        pyramidConv = addChildBlock("up" + level + "_pyramidConv", Conv.conv3x3(in, spec.channels(), 0));
        pyramidCh = spec.channels();
      } else if (progressive == Progressive.RESIDUAL) {
        if (top) {
          pyramidNorm = addChildBlock("up" + level + "_pyramidNorm", new GroupNorm(in));
          pyramidConv = addChildBlock("up" + level + "_pyramidConv", Conv.conv3x3(in, in, 1));
        } else {
          pyramidUp = addChildBlock("up" + level + "_pyramidUp", new Resample(true, pyramidCh, in, true, spec.fir()));
        }
        pyramidCh = in;
      }
      ResnetBlock up = level != 0
          ? addChildBlock("up" + level + "_upsample", new ResnetBlock(in, in, temb.dim, true, false, spec)) : null;
      levels.add(new Level(blocks, attn, pyramidNorm, pyramidConv, pyramidUp, up));
    }
    if (!skips.isEmpty()) {
      throw new IllegalStateException("unmatched skip connections " + skips);
    }
    boolean outputSkip = progressive == Progressive.OUTPUT_SKIP;
    normOut = outputSkip ? null : addChildBlock("normOut", new GroupNorm(in));
    convOut = outputSkip ? null : addChildBlock("convOut", Conv.conv3x3(in, spec.channels(), 0));
  }

  /** x (batch, channels, h, w), cond (batch), labels (batch) or null → (batch, channels, h, w). */
  NDArray forward(ParameterStore ps, NDArray x, NDArray cond, NDArray labels, boolean training) {
    NDArray tembAct = silu(temb.forward(ps, cond, labels, training)); // (batch, 4·nf)
    Encoder.Features features = encoder.forward(ps, x, tembAct, training);
    List<NDArray> hs = new ArrayList<>(features.skips());
    NDArray h = features.h();
    NDArray pyramid = null;
    for (Level level : levels) {
      for (ResnetBlock block : level.blocks()) {
        h = block.forward(ps, NDArrays.concat(new NDList(h, hs.remove(hs.size() - 1)), 1), tembAct, training);
      }
      if (level.attn() != null) {
        h = level.attn().forward(ps, h, training);
      }
      if (progressive == Progressive.OUTPUT_SKIP) {
        NDArray out = level.pyramidConv().forward(ps, silu(level.pyramidNorm().forward(ps, h, training)), training);
        pyramid = pyramid == null ? out : level.pyramidUp().forward(ps, pyramid, training).add(out);
      } else if (progressive == Progressive.RESIDUAL) {
        if (pyramid == null) {
          pyramid = level.pyramidConv().forward(ps, silu(level.pyramidNorm().forward(ps, h, training)), training);
        } else {
          pyramid = residual(level.pyramidUp().forward(ps, pyramid, training), h, skipRescale);
          h = pyramid;
        }
      }
      if (level.up() != null) {
        h = level.up().forward(ps, h, tembAct, training);
      }
    }
    if (normOut == null) {
      return pyramid;
    }
    return convOut.forward(ps, silu(normOut.forward(ps, h, training)), training);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray labels = numClasses > 0 && inputs.size() > 2 ? inputs.get(2) : null;
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), labels, training));
  }
}
