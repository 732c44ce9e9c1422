package dev.scoresde.api.hardening;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own errors, which never reach the application (a malformed request line, an encoded {@code /},
 * {@code \} or NUL in the path, oversized headers, {@code Content-Length: -1}…), as problem documents instead of
 * Tomcat's HTML page. Tomcat's message is not echoed: it may quote the offending bytes.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  public ProblemErrorReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean io = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, io);
    if (!io.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    String slug = known == null ? "http-" + status : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    String detail = status == 400
        ? "the server refused the request before reading it: a malformed request line, URL (encoded '/', '\\', '..' or "
            + "NUL, invalid characters), header (too large, invalid) or Content-Length"
        : "the server refused the request (" + title + ")";
    try {
      response.setContentType(Problems.MEDIA_TYPE);
      response.setCharacterEncoding("UTF-8");
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("Cache-Control", "no-store");
      PrintWriter w = response.getReporter();
      if (w != null) {
        w.write(Problems.json(status, slug, title, detail, null, null));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response cannot take a body: nothing more to say
    }
  }
}
