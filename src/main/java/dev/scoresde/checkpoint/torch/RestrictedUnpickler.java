package dev.scoresde.checkpoint.torch;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle machine for state dicts that executes nothing: it knows the opcodes a {@code torch.save} pickle needs, calls
 * only the allow-listed globals of {@link PickleGlobal} (by building the value they would build), and refuses
 * everything else with a {@link TorchFormatException} naming what it found and where.
 *
 * <p>Values: dict and OrderedDict → {@link LinkedHashMap}, list → {@link ArrayList}, tuple → {@link PickleTuple},
 * set → {@link LinkedHashSet}, frozenset → unmodifiable {@link Set}, str → {@link String}, int → {@link Long}
 * (or {@link BigInteger} beyond 64 bits), float → {@link Double}, bool → {@link Boolean}, None → null, bytes →
 * {@code byte[]}, tensor → {@link TorchTensor}. The attributes BUILD gives an OrderedDict (torch's
 * {@code _metadata}) must be a dict and are dropped. Containers are never modified once they are inside another
 * one, so the result has no cycles and its depth is bounded.
 */
final class RestrictedUnpickler {
  /** Longest LONG1/LONG4 integer accepted, in bytes. */
  static final int MAX_LONG_BYTES = 1024;

  /** Resolves the persistent id {@code ('storage', class, key, location, numel)} of a storage. */
  interface Storages {
    TorchStorage storage(String key, TorchDtype dtype, String location, long numel) throws TorchFormatException;
  }

  private final byte[] in;
  private final TorchCheckpoint.Limits limits;
  private final Storages storages;
  private int pos;
  private final ArrayList<Object> stack = new ArrayList<>();
  /** Stack sizes at the open MARKs. */
  private final ArrayList<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();
  /** Nesting depth of each non-empty container. */
  private final Map<Object, Integer> depths = new IdentityHashMap<>();
  /** Containers that are inside another container. */
  private final Set<Object> nested = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Object> orderedDicts = Collections.newSetFromMap(new IdentityHashMap<>());
  private long values;

  RestrictedUnpickler(byte[] pickle, TorchCheckpoint.Limits limits, Storages storages) {
    this.in = pickle;
    this.limits = limits;
    this.storages = storages;
  }

  /** Runs the pickle to its STOP and returns the value it produced. */
  Object load() throws TorchFormatException {
    while (pos < in.length) {
      int start = pos;
      int code = in[pos++] & 0xff;
      PickleOpcode op = PickleOpcode.of(code);
      if (op == null) {
        throw new TorchFormatException(String.format("unknown pickle opcode 0x%02x at byte %d of data.pkl", code,
            start));
      }
      try {
        if (op == PickleOpcode.STOP) {
          return pop();
        }
        execute(op);
      } catch (TorchFormatException e) {
        throw new TorchFormatException(e.getMessage() + " [" + op + " at byte " + start + " of data.pkl]", e);
      }
    }
    throw new TorchFormatException("data.pkl ends without a STOP opcode");
  }

  private void execute(PickleOpcode op) throws TorchFormatException {
    switch (op) {
      case PROTO -> {
        int protocol = u8();
        if (protocol < 2 || protocol > 5) {
          throw new TorchFormatException("pickle protocol " + protocol + " is not supported (2 to 5 are)");
        }
      }
      case FRAME -> {
        long length = i64();
        if (length < 0 || length > in.length - pos) {
          throw new TorchFormatException("frame of " + length + " bytes runs past the end");
        }
      }
      case MARK -> {
        if (marks.size() >= limits.maxDepth()) {
          throw new TorchFormatException("more than " + limits.maxDepth() + " nested MARKs");
        }
        marks.add(stack.size());
      }
      case EMPTY_DICT -> push(created(new LinkedHashMap<>()));
      case EMPTY_LIST -> push(created(new ArrayList<>()));
      case EMPTY_SET -> push(created(new LinkedHashSet<>()));
      case EMPTY_TUPLE -> push(created(PickleTuple.EMPTY));
      case TUPLE -> push(tuple(popMark()));
      case TUPLE1 -> push(tuple(popN(1)));
      case TUPLE2 -> push(tuple(popN(2)));
      case TUPLE3 -> push(tuple(popN(3)));
      case LIST -> {
        List<Object> items = popMark();
        ArrayList<Object> list = created(new ArrayList<>(items.size()));
        for (Object item : items) {
          nest(list, item);
          list.add(item);
        }
        push(list);
      }
      case DICT -> {
        List<Object> items = popMark();
        LinkedHashMap<Object, Object> dict = created(new LinkedHashMap<>());
        putAll(dict, items);
        push(dict);
      }
      case FROZENSET -> {
        List<Object> items = popMark();
        LinkedHashSet<Object> set = new LinkedHashSet<>();
        Set<Object> frozen = created(Collections.unmodifiableSet(set));
        for (Object item : items) {
          nest(frozen, hashable(item));
          set.add(item);
        }
        push(frozen);
      }
      case APPEND -> {
        Object item = pop();
        ArrayList<Object> list = target(ArrayList.class, "APPEND");
        nest(list, item);
        list.add(item);
      }
      case APPENDS -> {
        List<Object> items = popMark();
        ArrayList<Object> list = target(ArrayList.class, "APPENDS");
        for (Object item : items) {
          nest(list, item);
          list.add(item);
        }
      }
      case SETITEM -> {
        Object value = pop();
        Object key = pop();
        putAll(target(LinkedHashMap.class, "SETITEM"), Arrays.asList(key, value));
      }
      case SETITEMS -> {
        List<Object> items = popMark();
        putAll(target(LinkedHashMap.class, "SETITEMS"), items);
      }
      case ADDITEMS -> {
        List<Object> items = popMark();
        addAll(target(LinkedHashSet.class, "ADDITEMS"), items);
      }
      case BINPUT -> memoPut(u8());
      case LONG_BINPUT -> memoPut(u32());
      case MEMOIZE -> memoPut(memo.size());
      case BINGET -> memoGet(u8());
      case LONG_BINGET -> memoGet(u32());
      case BININT -> push(created((long) i32()));
      case BININT1 -> push(created((long) u8()));
      case BININT2 -> push(created((long) (u8() | u8() << 8)));
      case LONG1 -> push(created(integer(u8())));
      case LONG4 -> push(created(integer(i32())));
      case BINFLOAT -> push(created(Double.longBitsToDouble(Long.reverseBytes(i64()))));
      case NEWTRUE -> push(created(Boolean.TRUE));
      case NEWFALSE -> push(created(Boolean.FALSE));
      case NONE -> push(null);
      case BINUNICODE -> push(created(utf8(u32())));
      case SHORT_BINUNICODE -> push(created(utf8(u8())));
      case BINUNICODE8 -> push(created(utf8(i64())));
      case BINBYTES -> push(created(take(u32())));
      case SHORT_BINBYTES -> push(created(take(u8())));
      case GLOBAL -> push(created(PickleGlobal.allowed(line(), line())));
      case STACK_GLOBAL -> {
        String name = TorchValues.asString(pop(), "the name of STACK_GLOBAL");
        String module = TorchValues.asString(pop(), "the module of STACK_GLOBAL");
        push(created(PickleGlobal.allowed(module, name)));
      }
      case REDUCE -> {
        Object args = pop();
        Object callable = pop();
        push(created(call(callable, args)));
      }
      case BINPERSID -> push(created(persistentLoad(pop())));
      case BUILD -> {
        Object state = pop();
        Object target = peek();
        if (target instanceof NumpyDtype dtype) {
          dtype.checkState(state);
        } else if (!orderedDicts.contains(target)) {
          throw new TorchFormatException("BUILD on " + TorchValues.describe(target)
              + "; only an OrderedDict's attributes and a numpy dtype's state are accepted");
        } else if (state != null && !(state instanceof Map)) {
          throw new TorchFormatException("the state of an OrderedDict is " + TorchValues.describe(state)
              + ", expected a dict");
        }
      }
      default -> throw new TorchFormatException(String.format("pickle opcode 0x%02x %s is not allowed", op.code, op));
    }
  }

  /** What an allowed global returns when called with {@code args}. */
  private Object call(Object callable, Object args) throws TorchFormatException {
    if (!(callable instanceof PickleGlobal global)) {
      throw new TorchFormatException("REDUCE calls " + TorchValues.describe(callable) + "; only globals can be called");
    }
    if (!(args instanceof PickleTuple a)) {
      throw new TorchFormatException("REDUCE calls " + global + " with " + TorchValues.describe(args)
          + ", expected an argument tuple");
    }
    if (global.equals(PickleGlobal.ORDERED_DICT) && a.isEmpty()) {
      LinkedHashMap<Object, Object> dict = new LinkedHashMap<>();
      orderedDicts.add(dict);
      return dict;
    }
    if (global.equals(PickleGlobal.REBUILD_TENSOR) && (a.size() == 6 || a.size() == 7)) {
      String what = "argument %d of " + global;
      Object storage = a.get(0);
      if (!(storage instanceof TorchStorage s)) {
        throw new TorchFormatException(String.format(what, 1) + " is " + TorchValues.describe(storage)
            + ", expected a storage");
      }
      long offset = TorchValues.asLong(a.get(1), String.format(what, 2));
      long[] shape = longs(a.get(2), String.format(what, 3));
      long[] strides = longs(a.get(3), String.format(what, 4));
      boolean requiresGrad = TorchValues.asBoolean(a.get(4), String.format(what, 5));
      TorchValues.asMap(a.get(5), String.format(what, 6));
      return TorchTensor.of(s, offset, shape, strides, requiresGrad);
    }
    if (global.equals(PickleGlobal.REBUILD_PARAMETER) && a.size() == 3) {
      String what = "argument %d of " + global;
      TorchTensor data = TorchValues.asTensor(a.get(0), String.format(what, 1));
      boolean requiresGrad = TorchValues.asBoolean(a.get(1), String.format(what, 2));
      TorchValues.asMap(a.get(2), String.format(what, 3));
      return data.withRequiresGrad(requiresGrad);
    }
    if (global.equals(PickleGlobal.NUMPY_DTYPE) && a.size() == 3) {
      return NumpyDtype.of(TorchValues.asString(a.get(0), "the code of " + global));
    }
    if (global.equals(PickleGlobal.CODECS_ENCODE) && a.size() == 2 && "latin1".equals(a.get(1))) {
      return latin1(TorchValues.asString(a.get(0), "argument 1 of " + global));
    }
    if ((global.equals(PickleGlobal.NUMPY_SCALAR) || global.equals(PickleGlobal.NUMPY2_SCALAR)) && a.size() == 2
        && a.get(0) instanceof NumpyDtype dtype && a.get(1) instanceof byte[] bytes) {
      return dtype.value(bytes);
    }
    throw new TorchFormatException("cannot call " + global + " with " + a.size() + " arguments");
  }

  private static byte[] latin1(String s) throws TorchFormatException {
    byte[] out = new byte[s.length()];
    for (int i = 0; i < out.length; i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        throw new TorchFormatException("_codecs.encode(…, 'latin1') of a character beyond latin1");
      }
      out[i] = (byte) c;
    }
    return out;
  }

  /** The storage a BINPERSID names. */
  private TorchStorage persistentLoad(Object pid) throws TorchFormatException {
    if (!(pid instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
      throw new TorchFormatException("persistent id is " + TorchValues.describe(pid)
          + ", expected ('storage', storage class, key, location, numel)");
    }
    TorchDtype dtype = t.get(1) instanceof PickleGlobal g ? g.storageDtype() : null;
    if (dtype == null) {
      throw new TorchFormatException("persistent id names " + TorchValues.describe(t.get(1))
          + ", expected a storage class such as torch.FloatStorage");
    }
    String key = TorchValues.asString(t.get(2), "the storage key");
    String location = TorchValues.asString(t.get(3), "the storage location");
    long numel = TorchValues.asLong(t.get(4), "the storage size");
    return storages.storage(key, dtype, location, numel);
  }

  private static long[] longs(Object value, String what) throws TorchFormatException {
    if (!(value instanceof PickleTuple t)) {
      throw new TorchFormatException(what + " is " + TorchValues.describe(value) + ", expected a tuple of ints");
    }
    long[] out = new long[t.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = TorchValues.asLong(t.get(i), what + "[" + i + "]");
    }
    return out;
  }

  private PickleTuple tuple(List<Object> items) throws TorchFormatException {
    PickleTuple tuple = created(new PickleTuple(items.toArray()));
    for (Object item : items) {
      nest(tuple, item);
    }
    return tuple;
  }

  private void putAll(Map<Object, Object> dict, List<Object> items) throws TorchFormatException {
    if (items.size() % 2 != 0) {
      throw new TorchFormatException("odd number of items (" + items.size() + ") for a dict");
    }
    for (int i = 0; i < items.size(); i += 2) {
      Object key = hashable(items.get(i));
      nest(dict, key);
      nest(dict, items.get(i + 1));
      dict.put(key, items.get(i + 1));
    }
  }

  private void addAll(Set<Object> set, List<Object> items) throws TorchFormatException {
    for (Object item : items) {
      nest(set, hashable(item));
      set.add(item);
    }
  }

  /** {@code key} if Python could hash it (so no container but a tuple of hashable values). */
  private static Object hashable(Object key) throws TorchFormatException {
    if (!isHashable(key)) {
      throw new TorchFormatException(TorchValues.describe(key) + " cannot be a dict key or set item");
    }
    return key;
  }

  private static boolean isHashable(Object v) {
    if (v instanceof PickleTuple t) {
      return t.stream().allMatch(RestrictedUnpickler::isHashable);
    }
    return !(v instanceof List || v instanceof Map || v instanceof Set);
  }

  /** Records that {@code child} goes into {@code container}, refusing cycles, late changes and deep nesting. */
  private void nest(Object container, Object child) throws TorchFormatException {
    if (child == container || nested.contains(container)) {
      throw new TorchFormatException(TorchValues.describe(container)
          + " is changed after it was put into another container (cyclic or out-of-order pickle)");
    }
    Integer childDepth = depths.get(child);
    int depth = childDepth == null ? 1 : childDepth + 1;
    if (depth > limits.maxDepth()) {
      throw new TorchFormatException("values are nested deeper than " + limits.maxDepth() + " levels");
    }
    depths.merge(container, depth, Math::max);
    if (child instanceof List || child instanceof Map || child instanceof Set) {
      nested.add(child);
    }
  }

  private <T> T target(Class<T> type, String what) throws TorchFormatException {
    Object target = peek();
    if (!type.isInstance(target)) {
      throw new TorchFormatException(what + " onto " + TorchValues.describe(target));
    }
    return type.cast(target);
  }

  private <T> T created(T value) throws TorchFormatException {
    if (++values > limits.maxValues()) {
      throw new TorchFormatException("more than " + limits.maxValues() + " values");
    }
    return value;
  }

  private void push(Object value) throws TorchFormatException {
    if (stack.size() >= limits.maxStackSize()) {
      throw new TorchFormatException("more than " + limits.maxStackSize() + " values on the pickle stack");
    }
    stack.add(value);
  }

  private int base() {
    return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
  }

  private Object pop() throws TorchFormatException {
    if (stack.size() <= base()) {
      throw new TorchFormatException("pickle stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek() throws TorchFormatException {
    if (stack.size() <= base()) {
      throw new TorchFormatException("pickle stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popN(int n) throws TorchFormatException {
    if (stack.size() - base() < n) {
      throw new TorchFormatException("pickle stack underflow");
    }
    return cut(stack.size() - n);
  }

  private List<Object> popMark() throws TorchFormatException {
    if (marks.isEmpty()) {
      throw new TorchFormatException("no MARK to pop to");
    }
    return cut(marks.remove(marks.size() - 1));
  }

  /** Removes and returns the stack from index {@code from} on. */
  private List<Object> cut(int from) {
    List<Object> tail = stack.subList(from, stack.size());
    List<Object> items = new ArrayList<>(tail);
    tail.clear();
    return items;
  }

  private void memoPut(long index) throws TorchFormatException {
    if (!memo.containsKey(index) && memo.size() >= limits.maxMemoEntries()) {
      throw new TorchFormatException("more than " + limits.maxMemoEntries() + " memo entries");
    }
    memo.put(index, peek());
  }

  private void memoGet(long index) throws TorchFormatException {
    if (!memo.containsKey(index)) {
      throw new TorchFormatException("memo entry " + index + " is not defined");
    }
    push(memo.get(index));
  }

  private Object integer(long length) throws TorchFormatException {
    if (length < 0 || length > MAX_LONG_BYTES) {
      throw new TorchFormatException("integer of " + length + " bytes (at most " + MAX_LONG_BYTES + " are accepted)");
    }
    byte[] le = take(length);
    if (le.length == 0) {
      return 0L;
    }
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    BigInteger value = new BigInteger(be);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private String utf8(long length) throws TorchFormatException {
    return new String(take(length), StandardCharsets.UTF_8);
  }

  /** The text up to the next newline (for GLOBAL). */
  private String line() throws TorchFormatException {
    for (int i = pos; i < in.length; i++) {
      if (in[i] == '\n') {
        String s = new String(in, pos, i - pos, StandardCharsets.UTF_8);
        pos = i + 1;
        return s;
      }
    }
    throw new TorchFormatException("GLOBAL without a newline before the end of data.pkl");
  }

  private byte[] take(long length) throws TorchFormatException {
    if (length < 0 || length > in.length - pos) {
      throw new TorchFormatException("a length of " + length + " runs past the end of data.pkl ("
          + (in.length - pos) + " bytes left)");
    }
    byte[] out = Arrays.copyOfRange(in, pos, pos + (int) length);
    pos += (int) length;
    return out;
  }

  private int u8() throws TorchFormatException {
    return take(1)[0] & 0xff;
  }

  private long u32() throws TorchFormatException {
    return i32() & 0xffffffffL;
  }

  private int i32() throws TorchFormatException {
    byte[] b = take(4);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
  }

  private long i64() throws TorchFormatException {
    byte[] b = take(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[i] & 0xff);
    }
    return v;
  }
}
