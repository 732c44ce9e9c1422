package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.reference.ReferenceConfig.ModelOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The DDPM U-Net of Ho et al. 2020 as the reference's {@code ddpm} model: positional embedding of the
 * label, DDPM residual blocks and attention (32 groups, no skip rescaling), plain resampling, and
 * optionally the output divided by sigmas[label] (scale_by_sigma, for SMLD training).
 */
final class Ddpm extends ReferenceNetwork {
  private final ModelOptions m;
  private final Nonlinearity act;

  Ddpm(ReferenceConfig config) {
    super(config);
    m = config.model();
    act = m.nonlinearity();
    int nf = m.nf();
    int levels = levels();
    int tembDim = 4 * nf;
    if (m.conditional()) {
      add(new Linear(nf, tembDim));
      add(new Linear(tembDim, tembDim));
    }
    int channels = config.data().numChannels();
    add(Conv.conv3x3(channels, nf));
    List<Integer> hsC = new ArrayList<>(List.of(nf));
    int inCh = nf;
    for (int level = 0; level < levels; level++) {
      for (int b = 0; b < m.numResBlocks(); b++) {
        int outCh = nf * m.chMult().get(level);
        add(block(inCh, outCh, tembDim));
        inCh = outCh;
        if (attendsAt(level)) {
          add(attention(inCh));
        }
        hsC.add(inCh);
      }
      if (level != levels - 1) {
        add(new Downsample(inCh, inCh, m.resampWithConv(), false, List.of()));
        hsC.add(inCh);
      }
    }
    inCh = hsC.get(hsC.size() - 1);
    add(block(inCh, inCh, tembDim));
    add(attention(inCh));
    add(block(inCh, inCh, tembDim));
    for (int level = levels - 1; level >= 0; level--) {
      for (int b = 0; b <= m.numResBlocks(); b++) {
        int outCh = nf * m.chMult().get(level);
        add(block(inCh + hsC.remove(hsC.size() - 1), outCh, tembDim));
        inCh = outCh;
      }
      if (attendsAt(level)) {
        add(attention(inCh));
      }
      if (level != 0) {
        add(new Upsample(inCh, inCh, m.resampWithConv(), false, List.of()));
      }
    }
    add(GroupNorm.ddpm(inCh));
    add(Conv.conv3x3(inCh, channels));
  }

  private ResnetBlockDdpm block(int in, int out, int tembDim) {
    return new ResnetBlockDdpm(in, out, tembDim, act, m.dropout(), false, GroupNorm::ddpm);
  }

  private static AttnBlock attention(int channels) {
    return new AttnBlock(GroupNorm.ddpm(channels), channels, false);
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
    Cursor c = new Cursor();
    NDArray temb = null;
    if (m.conditional()) {
      temb = c.unary().forward(ps, timestepEmbedding(labels, m.nf()), training);
      temb = c.unary().forward(ps, act.apply(temb), training);
    }
    int levels = m.chMult().size();
    List<NDArray> hs = new ArrayList<>(List.of(c.unary().forward(ps, centre(x), training)));
    for (int level = 0; level < levels; level++) {
      for (int b = 0; b < m.numResBlocks(); b++) {
        NDArray h = c.block().forward(ps, hs.get(hs.size() - 1), temb, training);
        if (m.attnResolutions().contains(Math.toIntExact(h.getShape().get(3)))) {
          h = c.unary().forward(ps, h, training);
        }
        hs.add(h);
      }
      if (level != levels - 1) {
        hs.add(c.unary().forward(ps, hs.get(hs.size() - 1), training));
      }
    }
    NDArray h = hs.get(hs.size() - 1);
    h = c.block().forward(ps, h, temb, training);
    h = c.unary().forward(ps, h, training);
    h = c.block().forward(ps, h, temb, training);
    for (int level = levels - 1; level >= 0; level--) {
      for (int b = 0; b <= m.numResBlocks(); b++) {
        h = c.block().forward(ps, NDArrays.concat(new NDList(h, hs.remove(hs.size() - 1)), 1), temb, training);
      }
      if (m.attnResolutions().contains(Math.toIntExact(h.getShape().get(3)))) {
        h = c.unary().forward(ps, h, training);
      }
      if (level != 0) {
        h = c.unary().forward(ps, h, training);
      }
    }
    h = c.normAct(act).forward(ps, h, training);
    h = c.unary().forward(ps, h, training);
    c.end();
    return m.scaleBySigma() ? h.div(sigmasAt(labels)) : h;
  }
}
