package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.reference.ReferenceConfig.ModelName;
import dev.scoresde.nn.reference.ReferenceConfig.ModelOptions;
import dev.scoresde.tensor.Scopes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The RefineNet score networks of models/ncsnv2.py: {@code ncsn} (NCSN v1, Song and Ermon 2019),
 * {@code ncsnv2_64}, {@code ncsnv2_128} and {@code ncsnv2_256} (NCSNv2, Song and Ermon 2020). The input
 * (2x − 1 unless centred) goes through {@code begin_conv}, stages {@code res<k>} of two residual blocks
 * (the first may downsample or dilate), then RefineNet blocks {@code refine<k>} from the coarsest stage
 * back to the finest, each fusing its stage with the previous refinement at the stage's size, and
 * {@code normalizer}, act, {@code end_conv}. Labels are σ indices.
 *
 * <p>NCSNv2 uses InstanceNorm++ and ResidualBlock/RefineBlock, and divides its output by sigmas[y].
 * NCSN v1 uses ConditionalResidualBlock/CondRefineBlock with conditional InstanceNorm++ and returns the
 * output as is (its forward does not divide; neither does get_score_fn). Reference plus fix, as in the
 * parity fixtures: NCSN v1's get_normalization(config) gives the unconditional InstanceNorm2dPlus, which
 * neither accepts the label nor its constructor arguments, so this port uses
 * ConditionalInstanceNorm2dPlus (num_scales classes) there; the reference's {@code config.data.channels}
 * is {@code data.num_channels}; see {@link NcsnResidualBlock} for the dilation fixes.
 */
final class Ncsn extends ReferenceNetwork {
  private final ModelOptions m;
  private final Nonlinearity act;
  private final boolean v1;
  private final Conv beginConv;
  private final NcsnNorm normalizer;
  private final Conv endConv;
  private final List<NcsnResidualBlock[]> stages = new ArrayList<>();
  /** The refine blocks in forward order (coarsest first), registered in the reference's order. */
  private final List<RefineBlock> refines = new ArrayList<>();

  /** One {@code res<k>} stage: block 0 is in → out (maybe 'down'), block 1 out → out, both dilated alike. */
  private record Stage(String name, int in, int out, boolean down, int dilation) {}

  /** One {@code refine<k>}: the stage it reads (by forward position) and its widths. */
  private record Refine(String name, List<Integer> inPlanes, int features) {}

  Ncsn(ReferenceConfig config) {
    super(config);
    m = config.model();
    act = m.nonlinearity();
    v1 = m.name() == ModelName.NCSN;
    int nf = m.nf();
    int channels = config.data().numChannels();
    IntFunction<NcsnNorm> norm = v1 ? c -> new ConditionalInstanceNormPlus(c, m.numScales(), true)
        : c -> new InstanceNormPlus(c, true);
    beginConv = child("begin_conv", new Conv(channels, nf, 3, 1, 1, 1));
    normalizer = child("normalizer", norm.apply(nf));
    endConv = child("end_conv", new Conv(nf, channels, 3, 1, 1, 1));

    List<Stage> stageSpecs = new ArrayList<>();
    List<Refine> refineSpecs = new ArrayList<>(); // forward order
    List<String> registration = new ArrayList<>();
    stageSpecs.add(new Stage("res1", nf, nf, false, 1));
    stageSpecs.add(new Stage("res2", nf, 2 * nf, true, 1));
    if (m.name() == ModelName.NCSN || m.name() == ModelName.NCSNV2_64) {
      stageSpecs.add(new Stage("res3", 2 * nf, 2 * nf, true, 2));
      stageSpecs.add(new Stage("res4", 2 * nf, 2 * nf, true, 4));
      refineSpecs.add(new Refine("refine1", List.of(2 * nf), 2 * nf));
      refineSpecs.add(new Refine("refine2", List.of(2 * nf, 2 * nf), 2 * nf));
      refineSpecs.add(new Refine("refine3", List.of(2 * nf, 2 * nf), nf));
      refineSpecs.add(new Refine("refine4", List.of(nf, nf), nf));
      registration.addAll(List.of("refine1", "refine2", "refine3", "refine4"));
    } else {
      stageSpecs.add(new Stage("res3", 2 * nf, 2 * nf, true, 1));
      if (m.name() == ModelName.NCSNV2_256) {
        stageSpecs.add(new Stage("res31", 2 * nf, 2 * nf, true, 1));
      }
      stageSpecs.add(new Stage("res4", 2 * nf, 4 * nf, true, 2));
      stageSpecs.add(new Stage("res5", 4 * nf, 4 * nf, true, 4));
      refineSpecs.add(new Refine("refine1", List.of(4 * nf), 4 * nf));
      refineSpecs.add(new Refine("refine2", List.of(4 * nf, 4 * nf), 2 * nf));
      if (m.name() == ModelName.NCSNV2_256) {
        refineSpecs.add(new Refine("refine31", List.of(2 * nf, 2 * nf), 2 * nf));
      }
      refineSpecs.add(new Refine("refine3", List.of(2 * nf, 2 * nf), 2 * nf));
      refineSpecs.add(new Refine("refine4", List.of(2 * nf, 2 * nf), nf));
      refineSpecs.add(new Refine("refine5", List.of(nf, nf), nf));
      registration.addAll(List.of("refine1", "refine2", "refine3"));
      if (m.name() == ModelName.NCSNV2_256) {
        registration.add("refine31");
      }
      registration.addAll(List.of("refine4", "refine5"));
    }
    // adjust_padding: only the 64-px models' res4 at 28 px (and there it is dilated, so unused)
    boolean adjust28 = config.data().imageSize() == 28 && (v1 || m.name() == ModelName.NCSNV2_64);
    for (Stage s : stageSpecs) {
      boolean adjust = adjust28 && s.name().equals("res4");
      stages.add(new NcsnResidualBlock[] {
          child(s.name() + ".0", new NcsnResidualBlock(s.in(), s.out(), s.down(), act, norm, v1, adjust, s.dilation())),
          child(s.name() + ".1", new NcsnResidualBlock(s.out(), s.out(), false, act, norm, v1, false, s.dilation()))});
    }
    Map<String, RefineBlock> byName = new LinkedHashMap<>();
    int last = refineSpecs.size() - 1;
    for (String name : registration) {
      int k = indexOf(refineSpecs, name);
      Refine r = refineSpecs.get(k);
      byName.put(name, child(name, new RefineBlock(r.inPlanes(), r.features(), act, k == 0, k == last,
          v1 ? norm : null)));
    }
    for (Refine r : refineSpecs) {
      refines.add(byName.get(r.name()));
    }
  }

  private static int indexOf(List<Refine> specs, String name) {
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException(name);
  }

  /** layers.ncsn_conv3x3 (stride 1) plus fix: padding = dilation, so that dilated convolutions keep the size. */
  static Conv conv3x3(int in, int out, int dilation, boolean bias) {
    return new Conv(in, out, 3, 1, dilation, dilation, bias);
  }

  /** NCSN v1 has no {@code sigmas} buffer; the NCSNv2 models have the float64 one. */
  @Override
  public Map<String, double[]> buffers() {
    return v1 ? Map.of() : super.buffers();
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
    NDArray y = labels.toType(DataType.INT64, false);
    NDArray h = beginConv.forward(ps, centre(x), training);
    List<NDArray> layers = new ArrayList<>();
    for (NcsnResidualBlock[] stage : stages) {
      for (NcsnResidualBlock block : stage) {
        h = Scopes.step(h, v -> block.forward(ps, v, y, training)); // frees the block's intermediates
      }
      layers.add(h);
    }
    NDArray ref = null;
    for (int k = 0; k < refines.size(); k++) {
      NDArray layer = layers.get(layers.size() - 1 - k);
      List<NDArray> inputs = ref == null ? List.of(layer) : List.of(layer, ref);
      RefineBlock refine = refines.get(k);
      int height = Math.toIntExact(layer.getShape().get(2));
      int width = Math.toIntExact(layer.getShape().get(3));
      ref = Scopes.steps(layer.getManager(), new NDList(inputs),
          in -> new NDList(refine.forward(ps, in, y, height, width, training))).singletonOrThrow();
    }
    h = endConv.forward(ps, act.apply(normalizer.forward(ps, ref, y, training)), training);
    return v1 ? h : h.div(sigmasAt(labels));
  }
}
