package dev.scoresde.api.hardening;

import dev.scoresde.serve.InvalidRequestException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A multipart upload may only hold the parts its endpoint binds: JSON bodies refuse unknown fields, and so does
 * this ({@code -F stepz=10} is a 400 naming {@code stepz}, not a silently ignored typo). The allowed names come
 * from the handler method itself: its {@code @RequestPart} and {@code @RequestParam} names and the components of
 * its {@code @ModelAttribute} form record, so a new form field needs no change here.
 */
@ConditionalOnWebApplication
@Configuration(proxyBeanMethods = false)
class MultipartFieldGuard implements WebMvcConfigurer, HandlerInterceptor {
  private final Map<HandlerMethod, Set<String>> allowed = new ConcurrentHashMap<>();

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/v1/**");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException, ServletException {
    String type = request.getContentType();
    if (!(handler instanceof HandlerMethod method) || type == null
        || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
      return true;
    }
    Set<String> names = allowed.computeIfAbsent(method, MultipartFieldGuard::names);
    for (Part part : request.getParts()) {
      if (!names.contains(part.getName())) {
        throw new InvalidRequestException(Scrub.cut(part.getName(), Scrub.MAX_ECHO), "unknown field '"
            + part.getName() + "' (this endpoint takes " + String.join(", ", names) + ")");
      }
    }
    return true;
  }

  static Set<String> names(HandlerMethod method) {
    Set<String> names = new TreeSet<>();
    for (MethodParameter p : method.getMethodParameters()) {
      p.initParameterNameDiscovery(new org.springframework.core.DefaultParameterNameDiscoverer());
      RequestPart part = p.getParameterAnnotation(RequestPart.class);
      RequestParam param = p.getParameterAnnotation(RequestParam.class);
      if (part != null) {
        names.add(!part.name().isEmpty() ? part.name() : p.getParameterName());
      } else if (param != null) {
        names.add(!param.name().isEmpty() ? param.name() : p.getParameterName());
      } else if (p.hasParameterAnnotation(ModelAttribute.class) || !p.hasParameterAnnotation(PathVariable.class)
          && !p.hasParameterAnnotation(RequestHeader.class) && !BeanUtils.isSimpleProperty(p.getParameterType())) {
        Class<?> form = p.getParameterType();
        if (form.isRecord()) {
          for (RecordComponent c : form.getRecordComponents()) {
            names.add(c.getName());
          }
        } else {
          for (var d : BeanUtils.getPropertyDescriptors(form)) {
            if (d.getWriteMethod() != null) {
              names.add(d.getName());
            }
          }
        }
      }
    }
    return java.util.Collections.unmodifiableSet(names);
  }
}
