package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.nn.reference.ReferenceConfig.ModelOptions;
import dev.scoresde.nn.reference.ReferenceConfig.Progressive;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import dev.scoresde.nn.reference.ReferenceConfig.ResblockType;
import dev.scoresde.nn.reference.ResnetBlockBigGan.Resample;
import java.util.ArrayList;
import java.util.List;

/**
 * NCSN++ — and DDPM++, which is the same model with other options (Song et al. 2021, Appendix H): the
 * reference's {@code ncsnpp} model, module for module in {@code all_modules} order, with every option of
 * its configs: BigGAN or DDPM residual blocks, FIR or plain resampling with any FIR kernel, skip
 * rescaling, the output pyramid (none / output_skip / residual), the input pyramid (none / input_skip /
 * residual) combined by sum or cat, Fourier (of log σ) or positional (of the label) embeddings,
 * attention resolutions, conditional or not, scale_by_sigma, centred or [0, 1] data, dropout.
 */
final class NcsnPlusPlus extends ReferenceNetwork {
  private final ModelOptions m;
  private final Nonlinearity act;
  private final Upsample pyramidUpsample; // output_skip: FIR or nearest, no parameters
  private final Downsample pyramidDownsample; // input_skip: FIR or mean, no parameters

  NcsnPlusPlus(ReferenceConfig config) {
    super(config);
    m = config.model();
    act = m.nonlinearity();
    int nf = m.nf();
    int levels = levels();
    int tembDim = 4 * nf;
    if (m.embeddingType() == EmbeddingType.FOURIER) {
      add(new FourierProjection(nf));
    }
    if (m.conditional()) {
      add(new Linear(m.embeddingType() == EmbeddingType.FOURIER ? 2 * nf : nf, tembDim));
      add(new Linear(tembDim, tembDim));
    }
    pyramidUpsample = new Upsample(0, 0, false, m.fir(), m.firKernel());
    pyramidDownsample = new Downsample(0, 0, false, m.fir(), m.firKernel());
    boolean ddpmBlocks = m.resblockType() == ResblockType.DDPM;
    int channels = config.data().numChannels();
    int inputPyramidCh = channels;

    add(Conv.conv3x3(channels, nf));
    List<Integer> hsC = new ArrayList<>(List.of(nf));
    int inCh = nf;
    for (int level = 0; level < levels; level++) {
      for (int b = 0; b < m.numResBlocks(); b++) {
        int outCh = nf * m.chMult().get(level);
        add(resnet(inCh, outCh, tembDim, Resample.NONE));
        inCh = outCh;
        if (attendsAt(level)) {
          add(attention(inCh));
        }
        hsC.add(inCh);
      }
      if (level != levels - 1) {
        add(ddpmBlocks ? new Downsample(inCh, inCh, m.resampWithConv(), m.fir(), m.firKernel())
            : resnet(inCh, inCh, tembDim, Resample.DOWN));
        if (m.progressiveInput() == ProgressiveInput.INPUT_SKIP) {
          add(new Combine(inputPyramidCh, inCh, m.progressiveCombine()));
          if (m.progressiveCombine() == ReferenceConfig.ProgressiveCombine.CAT) {
            inCh *= 2;
          }
        } else if (m.progressiveInput() == ProgressiveInput.RESIDUAL) {
          add(new Downsample(inputPyramidCh, inCh, true, m.fir(), m.firKernel()));
          inputPyramidCh = inCh;
        }
        hsC.add(inCh);
      }
    }
    inCh = hsC.get(hsC.size() - 1);
    add(resnet(inCh, inCh, tembDim, Resample.NONE));
    add(attention(inCh));
    add(resnet(inCh, inCh, tembDim, Resample.NONE));

    int pyramidCh = 0;
    for (int level = levels - 1; level >= 0; level--) {
      for (int b = 0; b <= m.numResBlocks(); b++) {
        int outCh = nf * m.chMult().get(level);
        add(resnet(inCh + hsC.remove(hsC.size() - 1), outCh, tembDim, Resample.NONE));
        inCh = outCh;
      }
      if (attendsAt(level)) {
        add(attention(inCh));
      }
      if (m.progressive() != Progressive.NONE) {
        boolean outputSkip = m.progressive() == Progressive.OUTPUT_SKIP;
        if (level == levels - 1 || outputSkip) {
          add(GroupNorm.ncsnpp(inCh));
          add(Conv.conv3x3(inCh, outputSkip ? channels : inCh));
          pyramidCh = outputSkip ? channels : inCh;
        } else {
          add(new Upsample(pyramidCh, inCh, true, m.fir(), m.firKernel()));
          pyramidCh = inCh;
        }
      }
      if (level != 0) {
        add(ddpmBlocks ? new Upsample(inCh, inCh, m.resampWithConv(), m.fir(), m.firKernel())
            : resnet(inCh, inCh, tembDim, Resample.UP));
      }
    }
    if (!hsC.isEmpty()) {
      throw new IllegalStateException("unmatched skip connections " + hsC);
    }
    if (m.progressive() != Progressive.OUTPUT_SKIP) {
      add(GroupNorm.ncsnpp(inCh));
      add(Conv.conv3x3(inCh, channels));
    }
  }

  private TorchModule resnet(int in, int out, int tembDim, Resample resample) {
    return m.resblockType() == ResblockType.DDPM
        ? new ResnetBlockDdpm(in, out, tembDim, act, m.dropout(), m.skipRescale(), GroupNorm::ncsnpp)
        : new ResnetBlockBigGan(in, out, tembDim, resample, m);
  }

  private AttnBlock attention(int channels) {
    return new AttnBlock(GroupNorm.ncsnpp(channels), channels, m.skipRescale());
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
    Cursor c = new Cursor();
    NDArray temb;
    NDArray usedSigmas;
    if (m.embeddingType() == EmbeddingType.FOURIER) {
      usedSigmas = labels.reshape(-1, 1, 1, 1);
      temb = c.unary().forward(ps, labels.log(), training);
    } else {
      usedSigmas = m.scaleBySigma() ? sigmasAt(labels) : null;
      temb = timestepEmbedding(labels, m.nf());
    }
    if (m.conditional()) {
      temb = c.unary().forward(ps, temb, training);
      temb = c.unary().forward(ps, act.apply(temb), training);
    } else {
      temb = null;
    }
    x = centre(x);
    boolean ddpmBlocks = m.resblockType() == ResblockType.DDPM;
    int levels = m.chMult().size();
    NDArray inputPyramid = m.progressiveInput() != ProgressiveInput.NONE ? x : null;
    List<NDArray> hs = new ArrayList<>(List.of(c.unary().forward(ps, x, training)));
    for (int level = 0; level < levels; level++) {
      for (int b = 0; b < m.numResBlocks(); b++) {
        NDArray h = c.block().forward(ps, last(hs), temb, training);
        if (m.attnResolutions().contains(width(h))) {
          h = c.unary().forward(ps, h, training);
        }
        hs.add(h);
      }
      if (level != levels - 1) {
        NDArray h = ddpmBlocks ? c.unary().forward(ps, last(hs), training) : c.block().forward(ps, last(hs), temb, training);
        if (m.progressiveInput() == ProgressiveInput.INPUT_SKIP) {
          inputPyramid = pyramidDownsample.forward(ps, inputPyramid, training);
          h = c.combine(ps, inputPyramid, h, training);
        } else if (m.progressiveInput() == ProgressiveInput.RESIDUAL) {
          inputPyramid = skip(c.unary().forward(ps, inputPyramid, training), h);
          h = inputPyramid;
        }
        hs.add(h);
      }
    }
    NDArray h = last(hs);
    h = c.block().forward(ps, h, temb, training);
    h = c.unary().forward(ps, h, training);
    h = c.block().forward(ps, h, temb, training);

    NDArray pyramid = null;
    for (int level = levels - 1; level >= 0; level--) {
      for (int b = 0; b <= m.numResBlocks(); b++) {
        h = c.block().forward(ps, NDArrays.concat(new NDList(h, hs.remove(hs.size() - 1)), 1), temb, training);
      }
      if (m.attnResolutions().contains(width(h))) {
        h = c.unary().forward(ps, h, training);
      }
      if (m.progressive() != Progressive.NONE) {
        if (level == levels - 1) {
          pyramid = normActConv(c, ps, h, training);
        } else if (m.progressive() == Progressive.OUTPUT_SKIP) {
          // the upsampled pyramid is a convolution's fresh output, which no backward reads
          pyramid = pyramidUpsample.forward(ps, pyramid, training).addi(normActConv(c, ps, h, training));
        } else {
          pyramid = skip(c.unary().forward(ps, pyramid, training), h);
          h = pyramid;
        }
      }
      if (level != 0) {
        h = ddpmBlocks ? c.unary().forward(ps, h, training) : c.block().forward(ps, h, temb, training);
      }
    }
    h = m.progressive() == Progressive.OUTPUT_SKIP ? pyramid : normActConv(c, ps, h, training);
    c.end();
    return m.scaleBySigma() ? h.div(usedSigmas) : h;
  }

  /** The next two modules, a GroupNorm and a conv: conv(act(norm(h))). */
  private NDArray normActConv(Cursor c, ParameterStore ps, NDArray h, boolean training) {
    Unary norm = c.normAct(act);
    Unary conv = c.unary();
    return conv.forward(ps, norm.forward(ps, h, training), training);
  }

  /** (a + b)/√2 with skip rescaling, a + b otherwise. */
  private NDArray skip(NDArray a, NDArray b) {
    NDArray sum = a.add(b);
    return m.skipRescale() ? sum.divi(scalar(sum, Math.sqrt(2))) : sum; // a fresh sum: in place is safe
  }

  private static NDArray last(List<NDArray> hs) {
    return hs.get(hs.size() - 1);
  }

  private static int width(NDArray h) {
    return Math.toIntExact(h.getShape().get(3));
  }
}
