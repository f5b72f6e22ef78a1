package dev.strata.bridge.registry;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.strata.bridge.registry.RegistryAccessException.Kind;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns what jib and the HTTP stack throw into {@link RegistryAccessException}s a user can act on
 * (which registry, what happened, what to do), and decides which failures are worth a retry. No
 * message ever carries a credential: jib's texts are scrubbed of the secret before use.
 */
final class RegistryFailures {
  private final String host;
  private final Optional<RegistryCredential> credential;
  private final List<String> credentialFiles;

  RegistryFailures(String host, Optional<RegistryCredential> credential, List<String> files) {
    this.host = host;
    this.credential = credential;
    this.credentialFiles = List.copyOf(files);
  }

  /** Whether trying the same call again may succeed: 5xx/429 answers and connection trouble. */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ResponseException response) {
        int status = response.getStatusCode();
        return status >= 500 || status == 429;
      }
      if (t instanceof UnknownHostException
          || t instanceof SSLException
          || t instanceof InsecureRegistryException
          || t instanceof RegistryUnauthorizedException
          || t instanceof RegistryAuthenticationFailedException) {
        return false;
      }
      if (t instanceof SocketException
          || t instanceof SocketTimeoutException
          || t.getClass().getName().equals("org.apache.http.NoHttpResponseException")
          || t.getClass().getName().equals("org.apache.http.ConnectionClosedException")
          || t.getClass().getName().equals("org.apache.http.TruncatedChunkException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  RegistryAccessException translate(Throwable e, String what) {
    return translate(e, what, 1);
  }

  RegistryAccessException translate(Throwable e, String what, int attempts) {
    if (e instanceof RegistryAccessException access) {
      return access;
    }
    String tries = attempts > 1 ? " (gave up after " + attempts + " attempts)" : "";
    Throwable cause = e;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof RegistryUnauthorizedException unauthorized) {
        return unauthorized(what, statusOf(unauthorized), e);
      }
      if (t instanceof RegistryAuthenticationFailedException
          || t instanceof RegistryCredentialsNotSentException) {
        return unauthorized(what, 401, e);
      }
      if (t instanceof InsecureRegistryException || t instanceof SSLException) {
        return new RegistryAccessException(
            Kind.TLS,
            "cannot "
                + what
                + ": TLS to "
                + host
                + " failed ("
                + scrub(rootMessage(t))
                + "). If "
                + host
                + " is a registry you trust without verified TLS (e.g. a local registry on plain"
                + " HTTP), pass --insecure-registry "
                + host
                + " or list it under insecure-registries: in strata.yaml",
            scrubbed(e));
      }
      if (t instanceof UnknownHostException) {
        return new RegistryAccessException(
            Kind.UNREACHABLE,
            "cannot " + what + ": unknown host " + hostOnly() + " (check the registry name)",
            scrubbed(e));
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return new RegistryAccessException(
            Kind.UNREACHABLE,
            "cannot "
                + what
                + ": "
                + host
                + " is unreachable ("
                + scrub(rootMessage(t))
                + ")"
                + tries,
            scrubbed(e));
      }
      if (t instanceof ResponseException response) {
        int status = response.getStatusCode();
        Kind kind =
            status == 404 ? Kind.NOT_FOUND : status >= 500 ? Kind.UNREACHABLE : Kind.PROTOCOL;
        return new RegistryAccessException(
            kind, "cannot " + what + ": " + host + " answered HTTP " + status + tries, scrubbed(e));
      }
      if (t.getClass()
          .getName()
          .equals("com.google.cloud.tools.jib.registry.RegistryErrorException")) {
        String message = scrub(String.valueOf(t.getMessage()));
        Integer status = statusOf(t);
        Kind kind =
            (status != null && status == 404)
                    || message.contains("UNKNOWN")
                    || message.contains("not found")
                ? Kind.NOT_FOUND
                : Kind.PROTOCOL;
        return new RegistryAccessException(
            kind, "cannot " + what + ": " + stripJibPrefix(message), scrubbed(e));
      }
      if (t.getClass()
          .getName()
          .equals("com.google.cloud.tools.jib.registry.UnexpectedBlobDigestException")) {
        return new RegistryAccessException(
            Kind.PROTOCOL,
            "cannot " + what + ": " + scrub(String.valueOf(t.getMessage())) + "; not kept",
            scrubbed(e));
      }
      cause = t;
    }
    boolean transientFailure = isTransient(e);
    return new RegistryAccessException(
        transientFailure ? Kind.UNREACHABLE : Kind.PROTOCOL,
        "cannot "
            + what
            + ": "
            + (transientFailure ? host + " is unreachable or dropped the connection (" : "")
            + scrub(rootMessage(cause))
            + (transientFailure ? ")" : "")
            + tries,
        scrubbed(e));
  }

  private Throwable scrubbed(Throwable e) {
    return new ScrubbedCause(e, this);
  }

  private RegistryAccessException unauthorized(String what, Integer status, Throwable e) {
    String message;
    if (credential.isEmpty()) {
      message =
          "cannot "
              + what
              + ": "
              + host
              + " requires credentials and none were found for it (looked in "
              + String.join(", ", credentialFiles)
              + "); log in with 'podman login "
              + host
              + "' or 'docker login "
              + host
              + "'";
    } else if (status != null && status == 403) {
      message =
          "cannot "
              + what
              + ": "
              + host
              + " accepted the credentials of user '"
              + credential.get().username()
              + "' (from "
              + credential.get().source()
              + ") but denied access; check that user's permissions on the repository";
    } else {
      message =
          "cannot "
              + what
              + ": "
              + host
              + " rejected the credentials of user '"
              + credential.get().username()
              + "' (from "
              + credential.get().source()
              + "); check them or log in again with 'podman login "
              + host
              + "'";
    }
    return new RegistryAccessException(Kind.UNAUTHORIZED, message, scrubbed(e));
  }

  private static Integer statusOf(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ResponseException response) {
        return response.getStatusCode();
      }
    }
    return null;
  }

  private String hostOnly() {
    int colon = host.lastIndexOf(':');
    return colon > 0 ? host.substring(0, colon) : host;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private static String stripJibPrefix(String message) {
    // jib words these as "Tried to <action> but failed because: <reason>".
    int because = message.indexOf("failed because: ");
    return because >= 0 ? message.substring(because + "failed because: ".length()).trim() : message;
  }

  /** The text with the secret (raw, or in a basic-auth header) replaced. */
  String scrub(String text) {
    if (text == null || credential.isEmpty() || credential.get().secret().isEmpty()) {
      return text;
    }
    RegistryCredential c = credential.get();
    String basic =
        Base64.getEncoder()
            .encodeToString((c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
    return text.replace(basic, "<redacted>").replace(c.secret(), "<redacted>");
  }

  /**
   * The original failure, kept for {@code STRATA_DEBUG} traces, with its messages scrubbed: jib's
   * own exceptions are replaced by this copy so a stack trace cannot show a secret either.
   */
  static final class ScrubbedCause extends Exception {
    private static final long serialVersionUID = 1L;

    ScrubbedCause(Throwable original, RegistryFailures failures) {
      super(
          original.getClass().getName()
              + ": "
              + failures.scrub(String.valueOf(original.getMessage())),
          original.getCause() == null || original.getCause() == original
              ? null
              : new ScrubbedCause(original.getCause(), failures));
      setStackTrace(original.getStackTrace());
    }
  }
}
