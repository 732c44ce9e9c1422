package dev.scoresde.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import dev.scoresde.api.hardening.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses JSON bodies larger than {@code score-sde.api.max-json-size} (base64 images included) with 413: at once
 * when {@code Content-Length} says so, and otherwise (a chunked body, whose length nobody declared) after reading at
 * most one byte more than the limit, counting the bytes that actually arrive. Multipart uploads are bounded by
 * {@code spring.servlet.multipart.*}, which Tomcat also counts on the bytes read.
 */
@ConditionalOnWebApplication
@Component
class BodySizeFilter extends OncePerRequestFilter {
  private final long max;

  BodySizeFilter(@Value("${score-sde.api.max-json-size:4MB}") DataSize max) {
    this.max = max.toBytes();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String type = request.getContentType();
    long length = request.getContentLengthLong();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      chain.doFilter(request, response);
      return;
    }
    if (length > max) {
      tooLarge(request, response, "the body has " + length + " bytes, the limit is " + max);
      return;
    }
    if (length < 0) {
      byte[] body;
      try {
        body = readAtMost(request.getInputStream(), max + 1);
      } catch (SocketTimeoutException e) {
        Problems.write(response, 408, "request-timeout", "Request Timeout", "the request body did not arrive in time",
            request.getRequestURI());
        return;
      }
      if (body.length > max) {
        tooLarge(request, response, "the body has more than " + max + " bytes, the limit");
        return;
      }
      chain.doFilter(new Buffered(request, body), response);
      return;
    }
    chain.doFilter(request, response);
  }

  private static void tooLarge(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    Problems.write(response, 413, "too-large", "Request body too large", detail, request.getRequestURI());
  }

  static byte[] readAtMost(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long total = 0;
    int n;
    while (total < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) > 0) {
      out.write(buf, 0, n);
      total += n;
    }
    return out.toByteArray();
  }

  /** A request whose body was read into memory (at most the limit). */
  static final class Buffered extends HttpServletRequestWrapper {
    private final byte[] body;

    Buffered(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("a buffered body is read synchronously");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String enc = getCharacterEncoding();
      Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
      return new BufferedReader(new InputStreamReader(getInputStream(), cs));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
