package dev.scoresde.api;

import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Reads a {@link Delivery} from {@code ?async}, {@code ?timeoutMs} and the Accept header; a value of the wrong
 * type fails as a {@code @RequestParam} of that type would (400).
 */
final class DeliveryResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Delivery.class;
  }

  @Override
  public Delivery resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
      WebDataBinderFactory binders) {
    Boolean async = convert(request, parameter, "async", Boolean.class);
    return new Delivery(async != null && async, convert(request, parameter, "timeoutMs", Long.class),
        request.getHeader(HttpHeaders.ACCEPT));
  }

  private static <T> T convert(NativeWebRequest request, MethodParameter parameter, String name, Class<T> type) {
    String value = request.getParameter(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return DefaultConversionService.getSharedInstance().convert(value.trim(), type);
    } catch (ConversionException e) {
      throw new MethodArgumentTypeMismatchException(value, type, name, parameter, e);
    }
  }
}
