package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A RefineNet block (layers.RefineBlock; layers.CondRefineBlock when {@code norm} is given): each input
 * through its own two 2-stage RCUs ({@code adapt_convs.<i>}), fused by {@code msf} to the output size
 * when there are several (absent for start blocks), then {@code crp} (2 stages; max-pool unconditional,
 * average-pool conditional) and {@code output_convs} (3 two-stage RCUs for the end block, else 1).
 */
final class RefineBlock extends TorchModule {
  private final RcuBlock[] adapt;
  private final RcuBlock output;
  private final MsfBlock msf;
  private final CrpBlock crp;

  RefineBlock(List<Integer> inPlanes, int features, Nonlinearity act, boolean start, boolean end,
      IntFunction<NcsnNorm> norm) {
    adapt = new RcuBlock[inPlanes.size()];
    for (int i = 0; i < adapt.length; i++) {
      adapt[i] = child("adapt_convs." + i, new RcuBlock(inPlanes.get(i), 2, 2, act, norm));
    }
    output = child("output_convs", new RcuBlock(features, end ? 3 : 1, 2, act, norm));
    msf = start ? null : child("msf", new MsfBlock(inPlanes, features, norm));
    crp = child("crp", new CrpBlock(features, 2, act, norm == null, norm));
  }

  /** xs as many as in_planes; the output is (batch, features, height, width). */
  NDArray forward(ParameterStore ps, List<NDArray> xs, NDArray y, int height, int width, boolean training) {
    List<NDArray> hs = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      hs.add(adapt[i].forward(ps, xs.get(i), y, training));
    }
    if (hs.size() > 1 && msf == null) {
      throw new IllegalStateException("a start RefineBlock takes a single input");
    }
    NDArray h = hs.size() > 1 ? msf.forward(ps, hs, y, height, width, training) : hs.get(0);
    return output.forward(ps, crp.forward(ps, h, y, training), y, training);
  }
}
