package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import java.util.ArrayList;
import java.util.List;

/**
 * The down path and middle of the NCSN++/DDPM++ U-Net (reference ncsnpp.py), shared by the score U-Net
 * and the noise-conditional classifier: conv3x3 in; per resolution numResBlocks residual blocks (with
 * attention where the resolution is listed) and a downsampling residual block; the optional input
 * pyramid ("input_skip": downsampled image joined by a 1×1 conv; "residual": downsampled by a resampling
 * conv and added, ×1/√2 with skip rescaling); then ResBlock, attention, ResBlock at the lowest resolution.
 */
final class Encoder extends Layer {
  /** The U-Net's skip activations (outermost first) and the output of the middle. */
  record Features(
      List<NDArray> skips, // each (batch, skipChannels[i], h_i, w_i), in the order produced
      NDArray h) {} // (batch, outChannels, h/2^(L-1), w/2^(L-1))

  /** One resolution of the down path; {@code down}, {@code pyramid}, {@code combine} may be null. */
  private record Level(List<ResnetBlock> blocks, List<AttnBlock> attns, ResnetBlock down, Resample pyramid,
      Conv combine) {}

  private final boolean skipRescale;
  private final Conv convIn;
  private final List<Level> levels = new ArrayList<>();
  private final ResnetBlock mid0;
  private final AttnBlock midAttn;
  private final ResnetBlock mid1;
  /** Channels of each skip activation, in the order they are produced. */
  final List<Integer> skipChannels = new ArrayList<>();
  final int outChannels;

  Encoder(NetworkSpec spec, int tembDim) {
    ProgressiveInput progressiveInput = spec.progressiveInput();
    skipRescale = spec.skipRescale();
    List<Integer> mult = spec.chMult();
    int nf = spec.nf();
    convIn = addChildBlock("convIn", Conv.conv3x3(spec.channels(), nf, 1));
    skipChannels.add(nf);
    int in = nf;
    int pyramidCh = spec.channels();
    for (int level = 0; level < mult.size(); level++) {
      boolean attn = spec.attnResolutions().contains(spec.imageSize() >> level);
      List<ResnetBlock> blocks = new ArrayList<>();
      List<AttnBlock> attns = new ArrayList<>();
      for (int b = 0; b < spec.numResBlocks(); b++) {
        int out = nf * mult.get(level);
        blocks.add(addChildBlock("down" + level + "_block" + b, new ResnetBlock(in, out, tembDim, false, false, spec)));
        in = out;
        attns.add(attn ? addChildBlock("down" + level + "_attn" + b, new AttnBlock(in, skipRescale)) : null);
        skipChannels.add(in);
      }
      ResnetBlock down = null;
      Resample pyramid = null;
      Conv combine = null;
      if (level != mult.size() - 1) {
        down = addChildBlock("down" + level + "_downsample", new ResnetBlock(in, in, tembDim, false, true, spec));
        if (progressiveInput == ProgressiveInput.INPUT_SKIP) {
          pyramid = addChildBlock("down" + level + "_pyramid", new Resample(false, pyramidCh, pyramidCh, false, spec.fir()));
          combine = addChildBlock("down" + level + "_combine", Conv.conv1x1(pyramidCh, in, 1));
        } else if (progressiveInput == ProgressiveInput.RESIDUAL) {
          pyramid = addChildBlock("down" + level + "_pyramid", new Resample(false, pyramidCh, in, true, spec.fir()));
          pyramidCh = in;
        }
        skipChannels.add(in);
      }
      levels.add(new Level(blocks, attns, down, pyramid, combine));
    }
    mid0 = addChildBlock("mid_block0", new ResnetBlock(in, in, tembDim, false, false, spec));
    midAttn = addChildBlock("mid_attn", new AttnBlock(in, skipRescale));
    mid1 = addChildBlock("mid_block1", new ResnetBlock(in, in, tembDim, false, false, spec));
    outChannels = in;
  }

  /** x (batch, channels, h, w), tembAct (batch, tembDim) → skips and the middle's output. */
  Features forward(ParameterStore ps, NDArray x, NDArray tembAct, boolean training) {
    NDArray pyramid = x; // (batch, pyramidCh, h', w')
    List<NDArray> hs = new ArrayList<>();
    NDArray h = convIn.forward(ps, x, training);
    hs.add(h);
    for (Level level : levels) {
      for (int b = 0; b < level.blocks().size(); b++) {
        h = level.blocks().get(b).forward(ps, h, tembAct, training);
        if (level.attns().get(b) != null) {
          h = level.attns().get(b).forward(ps, h, training);
        }
        hs.add(h);
      }
      if (level.down() != null) {
        h = level.down().forward(ps, h, tembAct, training);
        if (level.combine() != null) {
          pyramid = level.pyramid().forward(ps, pyramid, training);
          h = level.combine().forward(ps, pyramid, training).add(h);
        } else if (level.pyramid() != null) {
          pyramid = residual(level.pyramid().forward(ps, pyramid, training), h, skipRescale);
          h = pyramid;
        }
        hs.add(h);
      }
    }
    h = mid0.forward(ps, h, tembAct, training);
    h = midAttn.forward(ps, h, training);
    h = mid1.forward(ps, h, tembAct, training);
    return new Features(hs, h);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), training).h());
  }
}
