package dev.scoresde.checkpoint.torch;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A pickled tuple: an immutable list (null elements allowed) that stays distinguishable from a pickled list, which
 * is read as an {@link java.util.ArrayList}.
 */
public final class PickleTuple extends AbstractList<Object> implements RandomAccess {
  static final PickleTuple EMPTY = new PickleTuple(new Object[0]);

  private final Object[] items;

  PickleTuple(Object[] items) {
    this.items = items;
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }
}
