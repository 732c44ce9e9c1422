package dev.scoresde.nn;

import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.nn.reference.ReferenceConfig.Progressive;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter counts derived from the reference code's module lists (ncsnpp.py, layerspp.py), independently
 * of the network classes: a formula per layer type, walked over the architecture.
 */
final class ExpectedCounts {
  private ExpectedCounts() {}

  static long conv(int k, int in, int out) {
    return (long) k * k * in * out + out;
  }

  static long dense(int in, int out) {
    return (long) in * out + out;
  }

  static long groupNorm(int c) {
    return 2L * c;
  }

  /** ResnetBlockBigGANpp: GN, conv3x3, Dense(temb), GN, conv3x3, conv1x1 shortcut if the shape changes. */
  static long resBlock(int in, int out, int temb, boolean resample) {
    return groupNorm(in) + conv(3, in, out) + dense(temb, out) + groupNorm(out) + conv(3, out, out)
        + (in != out || resample ? conv(1, in, out) : 0);
  }

  /** AttnBlockpp: GN and four NIN (c×c + c). */
  static long attn(int c) {
    return groupNorm(c) + 4 * dense(c, c);
  }

  static long of(NetworkSpec s) {
    int nf = s.nf();
    int temb = 4 * nf;
    boolean fourier = s.embedding() == EmbeddingType.FOURIER;
    long n = (fourier ? nf + dense(2 * nf, temb) : dense(nf, temb)) + dense(temb, temb);
    if (s.numClasses() > 0 && s.architecture() != Architecture.CLASSIFIER) {
      n += (long) (s.numClasses() + 1) * temb;
    }
    if (s.architecture() == Architecture.MLP) {
      return n + dense(s.channels(), nf) + s.numResBlocks() * (dense(nf, nf) + dense(temb, nf)) + dense(nf, s.channels());
    }
    List<Integer> mult = s.chMult();
    n += conv(3, s.channels(), nf);
    List<Integer> hs = new ArrayList<>(List.of(nf));
    int in = nf;
    int pyramid = s.channels();
    for (int level = 0; level < mult.size(); level++) {
      boolean attn = s.attnResolutions().contains(s.imageSize() >> level);
      for (int b = 0; b < s.numResBlocks(); b++) {
        n += resBlock(in, nf * mult.get(level), temb, false);
        in = nf * mult.get(level);
        n += attn ? attn(in) : 0;
        hs.add(in);
      }
      if (level < mult.size() - 1) {
        n += resBlock(in, in, temb, true);
        if (s.progressiveInput() == ProgressiveInput.INPUT_SKIP) {
          n += conv(1, pyramid, in); // Combine (sum); the FIR pyramid downsampling has no parameters
        } else if (s.progressiveInput() == ProgressiveInput.RESIDUAL) {
          n += conv(3, pyramid, in);
          pyramid = in;
        }
        hs.add(in);
      }
    }
    n += 2 * resBlock(in, in, temb, false) + attn(in);
    if (s.architecture() == Architecture.CLASSIFIER) {
      return n + groupNorm(in) + dense(in, s.numClasses());
    }
    int pyramidCh = 0;
    for (int level = mult.size() - 1; level >= 0; level--) {
      for (int b = 0; b <= s.numResBlocks(); b++) {
        n += resBlock(in + hs.remove(hs.size() - 1), nf * mult.get(level), temb, false);
        in = nf * mult.get(level);
      }
      n += s.attnResolutions().contains(s.imageSize() >> level) ? attn(in) : 0;
      boolean top = level == mult.size() - 1;
      if (s.progressive() == Progressive.OUTPUT_SKIP) {
        n += groupNorm(in) + conv(3, in, s.channels());
      } else if (s.progressive() == Progressive.RESIDUAL) {
        n += top ? groupNorm(in) + conv(3, in, in) : conv(3, pyramidCh, in);
        pyramidCh = in;
      }
      n += level > 0 ? resBlock(in, in, temb, true) : 0;
    }
    return s.progressive() == Progressive.OUTPUT_SKIP ? n : n + groupNorm(in) + conv(3, in, s.channels());
  }
}
