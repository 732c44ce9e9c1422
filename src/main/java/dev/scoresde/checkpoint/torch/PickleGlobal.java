package dev.scoresde.checkpoint.torch;

import java.util.Set;

/**
 * A global a checkpoint's pickle refers to, one of the allow-list: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter}, the storage classes
 * {@code torch.FloatStorage} etc., and for numpy number scalars {@code numpy.core.multiarray.scalar},
 * {@code numpy.dtype} and {@code _codecs.encode}, each accepted with its one harmless argument pattern only. Nothing is looked up or loaded: it is only a name. One appears in a value only if
 * the pickle leaves a global uncalled.
 */
public record PickleGlobal(String module, String name) {
  static final PickleGlobal ORDERED_DICT = new PickleGlobal("collections", "OrderedDict");
  static final PickleGlobal REBUILD_TENSOR = new PickleGlobal("torch._utils", "_rebuild_tensor_v2");
  static final PickleGlobal REBUILD_PARAMETER = new PickleGlobal("torch._utils", "_rebuild_parameter");
  /** numpy scalars (run_lib's warm-up learning rate): numpy.core.multiarray.scalar(dtype, bytes). */
  static final PickleGlobal NUMPY_SCALAR = new PickleGlobal("numpy.core.multiarray", "scalar");
  static final PickleGlobal NUMPY2_SCALAR = new PickleGlobal("numpy._core.multiarray", "scalar");
  static final PickleGlobal NUMPY_DTYPE = new PickleGlobal("numpy", "dtype");
  /** How protocol 2 pickles bytes: _codecs.encode(str, 'latin1'). */
  static final PickleGlobal CODECS_ENCODE = new PickleGlobal("_codecs", "encode");
  private static final Set<PickleGlobal> CALLABLE = Set.of(ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER,
      NUMPY_SCALAR, NUMPY2_SCALAR, NUMPY_DTYPE, CODECS_ENCODE);
  static final String ALLOWED = "collections.OrderedDict, torch._utils._rebuild_tensor_v2, "
      + "torch._utils._rebuild_parameter, torch.{Float,Double,Half,BFloat16,Long,Int,Short,Char,Byte,Bool}Storage, "
      + "numpy.core.multiarray.scalar and numpy.dtype (numbers only), _codecs.encode (latin1 only)";

  /** The global {@code module.name} if it is on the allow-list. */
  static PickleGlobal allowed(String module, String name) throws TorchFormatException {
    PickleGlobal g = new PickleGlobal(module, name);
    if (!CALLABLE.contains(g) && g.storageDtype() == null) {
      throw new TorchFormatException("global '" + Quote.of(module + "." + name)
          + "' is not allowed in a checkpoint (allowed: " + ALLOWED + ")");
    }
    return g;
  }

  /** The dtype if this is a storage class such as {@code torch.FloatStorage}, else null. */
  public TorchDtype storageDtype() {
    return module.equals("torch") ? TorchDtype.ofStorageClass(name) : null;
  }

  @Override
  public String toString() {
    return module + "." + name;
  }
}
