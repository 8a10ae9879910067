package org.learningregions.util;

import java.util.regex.Pattern;

/**
 * Hides credentials in text that is logged, printed or stored (messages, manifests): the user-info of a URL
 * ({@code https://user:password@host/}) and query parameters whose names say they are secrets. Every place that
 * shows a URL goes through here; the request itself keeps the credentials.
 */
public final class Redaction {
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/?#@\\s]+@");
  private static final Pattern SECRET_PARAMETER = Pattern.compile(
      "(?i)([?&](?:password|passwd|pwd|secret|token|access_token|api_key|apikey|key|sig|signature)=)[^&#\\s]*");

  private Redaction() {}

  /** {@code text} with every URL credential replaced by {@code ***}. */
  public static String url(String text) {
    if (text == null) {
      return null;
    }
    return SECRET_PARAMETER.matcher(USER_INFO.matcher(text).replaceAll("***@")).replaceAll("$1***");
  }
}
