package dev.scoresde.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.Label;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;

/**
 * No main class calls an NDArray operation with a java.lang.Number (mul(Number), div(Number), clip(Number,
 * Number), …): DJL 0.36 backs those scalars by from_blob memory that autograd keeps using after DJL frees
 * it (see {@link Scalars}). Scans the compiled bytecode, so a call hidden in a lambda is found too.
 */
class ScalarOpsGuardTest {
  /** Owners whose Number-taking methods route through manager.create(Number). */
  private static final Set<String> OWNERS =
      Set.of("ai/djl/ndarray/NDArray", "ai/djl/ndarray/NDArrays", "ai/djl/pytorch/engine/PtNDArray");

  private static final String SCALARS = "dev/scoresde/tensor/Scalars";

  @Test
  void mainCodeCallsNoNdArrayOperationWithANumber() throws IOException, URISyntaxException {
    Path classes = Path.of(Scalars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> scanned = new TreeSet<>();
    List<Call> calls = scan(classes, scanned);
    assertTrue(scanned.contains(SCALARS) && scanned.size() > 100, "scanned the main classes: " + scanned.size());
    List<String> violations = new ArrayList<>();
    for (Call c : calls) {
      if (c.owner().equals(SCALARS)) {
        continue;
      }
      violations.add(c.toString());
    }
    assertEquals(List.of(), violations, "use dev.scoresde.tensor.Scalars instead of NDArray.op(Number)");
  }

  /** The scanner itself: it finds the deliberate x.mul(2f) and x.clip(0, 1) in the fixture below. */
  @Test
  void scannerFindsNumberOperationsInAFixture() throws IOException, URISyntaxException {
    Path tests = Path.of(ScalarOpsGuardTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String outer = ScalarOpsGuardTest.class.getName().replace('.', '/'); // the fixture counts as its outer class
    List<String> found = scan(tests, new TreeSet<>()).stream()
        .filter(c -> c.owner().equals(outer) && c.method().equals("bad"))
        .map(Call::call)
        .toList();
    assertEquals(List.of("NDArray.mul(Ljava/lang/Number;)", "NDArray.clip(Ljava/lang/Number;Ljava/lang/Number;)"), found);
  }

  /** Deliberate violations for the scanner's own test (test code, never run). */
  static final class Fixture {
    static NDArray bad(NDArray x) {
      return x.mul(2f).clip(0, 1);
    }
  }

  record Call(String owner, String method, int line, String call) {
    @Override
    public String toString() {
      return owner.replace('/', '.') + "." + method + " (line " + line + "): " + call;
    }
  }

  /** Calls found in the .class files under root; adds each class's (outermost) name to scanned. */
  static List<Call> scan(Path root, Set<String> scanned) throws IOException {
    List<Call> calls = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          Collector collector = new Collector(calls);
          new ClassReader(in).accept(collector, 0);
          scanned.add(collector.className);
        }
      }
    }
    return calls;
  }

  /** Records every call to an {@link #OWNERS} method whose parameters include java.lang.Number. */
  private static final class Collector extends ClassVisitor {
    private final List<Call> calls;
    private String className;

    Collector(List<Call> calls) {
      super(Opcodes.ASM9);
      this.calls = calls;
    }

    @Override
    public void visit(int version, int access, String name, String sig, String superName, String[] interfaces) {
      // Nested and lambda-holding classes count as their outermost class.
      className = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
      String method = name;
      return new MethodVisitor(Opcodes.ASM9) {
        private int line = -1;

        @Override
        public void visitLineNumber(int l, Label start) {
          line = l;
        }

        @Override
        public void visitMethodInsn(int op, String owner, String callee, String calleeDesc, boolean itf) {
          String params = calleeDesc.substring(0, calleeDesc.indexOf(')') + 1);
          if (OWNERS.contains(owner) && params.contains("Ljava/lang/Number;")) {
            String simple = owner.substring(owner.lastIndexOf('/') + 1);
            calls.add(new Call(className, method, line, simple + "." + callee + params));
          }
        }
      };
    }
  }
}
