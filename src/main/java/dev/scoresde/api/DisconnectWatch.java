package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Notices when the client of a synchronous request goes away while its task runs. The Servlet API reports
 * a closed connection only on the next read or write, and an async request does neither until its result,
 * so this probes Tomcat's socket directly (a non-blocking read that returns −1 at end of stream) every
 * {@value #PERIOD_MS} ms. On another container, or if Tomcat's internals change, it does nothing and the
 * task runs to its deadline.
 */
@ConditionalOnWebApplication
@Component
class DisconnectWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DisconnectWatch.class);
  static final long PERIOD_MS = 200;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "disconnect-watch");
    t.setDaemon(true);
    return t;
  });

  /** Calls {@code onGone} once if the connection closes; cancel the returned handle when the request ends. */
  ScheduledFuture<?> watch(ServletRequest request, Runnable onGone) {
    Object socket = socketOf(request);
    if (socket == null) {
      return null;
    }
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    self[0] = timer.scheduleWithFixedDelay(() -> {
      if (closed(socket)) {
        onGone.run();
        self[0].cancel(false);
      }
    }, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    return self[0];
  }

  /** Runs {@code task} once after {@code delay}, on this watch's timer (request deadlines). */
  ScheduledFuture<?> after(java.time.Duration delay, Runnable task) {
    return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Tomcat's SocketWrapperBase behind the request, or null. */
  private static Object socketOf(ServletRequest request) {
    try {
      ServletRequest r = request;
      while (r instanceof ServletRequestWrapper w) {
        r = w.getRequest();
      }
      Object connector = field(r, "request");
      Object coyote = connector.getClass().getMethod("getCoyoteRequest").invoke(connector);
      Object processor = field(coyote, "hook");
      return field(processor, "socketWrapper");
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("no disconnect detection: {}", e.toString());
      return null;
    }
  }

  private static boolean closed(Object socket) {
    try {
      if ((Boolean) socket.getClass().getMethod("isClosed").invoke(socket)) {
        return true;
      }
      ByteBuffer probe = ByteBuffer.allocate(1);
      Method read = socket.getClass().getMethod("read", boolean.class, ByteBuffer.class);
      int n = (Integer) read.invoke(socket, false, probe);
      if (n > 0) {
        probe.flip();
        socket.getClass().getMethod("unRead", ByteBuffer.class).invoke(socket, probe);
      }
      return n < 0;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return e.getCause() instanceof java.io.IOException;
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
