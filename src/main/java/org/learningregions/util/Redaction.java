package org.learningregions.util;

import java.util.regex.Pattern;

/**
 * Hides credentials in text that is logged, printed or stored (messages, manifests): the user-info of a URL
 * ({@code https://user:password@host/}) and query parameters whose names say they are secrets. Every place that
 * shows a URL goes through here; the request itself keeps the credentials.
 */
public final class Redaction {
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/?#@\\s]+@");
  /** A query parameter whose name holds one of these words (X-Amz-Signature, client_secret, api-key, sig, auth). */
  private static final Pattern SECRET_PARAMETER = Pattern.compile(
      "(?i)([?&][^=&#\\s]*(?:passw|pwd|secret|token|key|sig|credential|auth)[^=&#\\s]*=)[^&#\\s]*");

  private Redaction() {}

  /** {@code text} with every URL credential replaced by {@code ***}. */
  public static String url(String text) {
    if (text == null) {
      return null;
    }
    return SECRET_PARAMETER.matcher(USER_INFO.matcher(text).replaceAll("***@")).replaceAll("$1***");
  }
}
