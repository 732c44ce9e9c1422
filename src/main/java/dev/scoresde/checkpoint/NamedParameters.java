package dev.scoresde.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter arrays of an initialized block under their hierarchical DJL names, in block order: the
 * unit that checkpoints save and load. Loading copies values into the existing arrays in place, after
 * checking that names and shapes match exactly.
 */
public record NamedParameters(List<String> names, List<NDArray> arrays) {

  public NamedParameters {
    names = List.copyOf(names);
    arrays = List.copyOf(arrays);
  }

  /** The block's parameters (it must be initialized). */
  public static NamedParameters of(Block block) {
    List<String> names = new ArrayList<>();
    List<NDArray> arrays = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (!p.getValue().isInitialized()) {
        throw new IllegalStateException("parameter " + p.getKey() + " is not initialized");
      }
      names.add(p.getKey());
      arrays.add(p.getValue().getArray());
    }
    return new NamedParameters(names, arrays);
  }

  public int size() {
    return names.size();
  }

  /** Total number of scalar parameters. */
  public long count() {
    long n = 0;
    for (NDArray a : arrays) {
      n += a.getShape().size();
    }
    return n;
  }

  /** The arrays named {@code prefix + name}, ready for {@code NDList.encode(SAFETENSORS)}. */
  public NDList toNamedList(String prefix) {
    NDList out = new NDList(arrays.size());
    for (int i = 0; i < arrays.size(); i++) {
      arrays.get(i).setName(prefix + names.get(i));
      out.add(arrays.get(i));
    }
    return out;
  }

  /**
   * Copies the values of {@code decoded} (arrays named {@code prefix + name}) into these arrays.
   *
   * @param what what is loaded, for messages ("EMA weights of /models/x/step-00001000")
   * @throws IllegalArgumentException naming the first missing, extra or differently shaped parameter
   */
  public void copyFrom(NDList decoded, String prefix, String what) {
    Map<String, NDArray> byName = new HashMap<>();
    for (NDArray a : decoded) {
      if (a.getName() != null && a.getName().startsWith(prefix)) {
        byName.put(a.getName().substring(prefix.length()), a);
      }
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      NDArray src = byName.get(names.get(i));
      if (src == null) {
        missing.add(names.get(i));
      } else if (!src.getShape().equals(arrays.get(i).getShape())) {
        throw new IllegalArgumentException(what + ": parameter " + names.get(i) + " has shape " + src.getShape()
            + " but the configured network expects " + arrays.get(i).getShape());
      }
    }
    if (!missing.isEmpty() || byName.size() != names.size()) {
      List<String> extra = new ArrayList<>(byName.keySet());
      extra.removeAll(names);
      throw new IllegalArgumentException(what + " does not match the configured network: "
          + (missing.isEmpty() ? "" : missing.size() + " parameters missing (first: " + missing.get(0) + ") ")
          + (extra.isEmpty() ? "" : extra.size() + " unexpected (first: " + extra.get(0) + ")"));
    }
    for (int i = 0; i < names.size(); i++) {
      byName.get(names.get(i)).toType(arrays.get(i).getDataType(), false).copyTo(arrays.get(i));
    }
  }

  /** Copies values from another parameter set of the same architecture, in place. */
  public void copyFrom(NamedParameters other) {
    if (!other.names.equals(names)) {
      throw new IllegalArgumentException("parameter names differ");
    }
    for (int i = 0; i < arrays.size(); i++) {
      other.arrays.get(i).copyTo(arrays.get(i));
    }
  }
}
