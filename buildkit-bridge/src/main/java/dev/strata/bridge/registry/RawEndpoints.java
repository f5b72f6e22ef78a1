package dev.strata.bridge.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.strata.bridge.oci.ContentBlob;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Registry endpoints jib's public client lacks, called through that client so its authentication
 * (bearer refresh included), TLS policy and error handling apply: GET a manifest keeping its exact
 * bytes (jib's own pull parses them into templates that drop fields), and list tags; and jib's HTTP
 * client with its built-in retry turned off.
 *
 * <p>This is the one place that reaches into jib internals: {@code RegistryEndpointProvider} is
 * package-private and {@code RegistryClient.callRegistryEndpoint} private, so the provider is a
 * {@link Proxy} and the call goes through reflection, as does the client constructor that takes
 * {@code enableRetry}. The jib-core version is pinned; the registry integration tests exercise both
 * endpoints.
 */
final class RawEndpoints {
  /** Every manifest kind Strata can store, OCI first (Accept order is a preference). */
  static final List<String> MANIFEST_TYPES =
      List.of(
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CATALOG_PAGE = 1000;
  private static final Class<?> PROVIDER;
  private static final Method CALL;
  private static final java.lang.reflect.Constructor<FailoverHttpClient> HTTP_WITHOUT_RETRY;

  static {
    try {
      PROVIDER =
          Class.forName(
              "com.google.cloud.tools.jib.registry.RegistryEndpointProvider",
              false,
              RegistryClient.class.getClassLoader());
      CALL = RegistryClient.class.getDeclaredMethod("callRegistryEndpoint", PROVIDER);
      CALL.setAccessible(true);
      HTTP_WITHOUT_RETRY =
          FailoverHttpClient.class.getDeclaredConstructor(
              boolean.class, boolean.class, java.util.function.Consumer.class, boolean.class);
      HTTP_WITHOUT_RETRY.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(
          "jib-core's RegistryClient changed (wrong jib-core version on the class path?): " + e);
    }
  }

  private RawEndpoints() {}

  /**
   * jib's HTTP client without its own IOException retry: that one backs off for minutes on a
   * refused connection or a TLS mismatch, while Strata's {@link RetryPolicy} is short and bounded.
   */
  static FailoverHttpClient httpClient(boolean insecure) {
    try {
      return HTTP_WITHOUT_RETRY.newInstance(
          insecure, insecure, (java.util.function.Consumer<LogEvent>) event -> {}, false);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("jib-core's FailoverHttpClient changed: " + e, e);
    }
  }

  /** GET /v2/REPO/manifests/REF: the exact bytes and media type, or empty on 404. */
  static Optional<ContentBlob> getManifest(RegistryClient client, String repository, String ref)
      throws Exception {
    @SuppressWarnings("unchecked")
    Optional<ContentBlob> result =
        (Optional<ContentBlob>)
            call(
                client,
                "/manifests/",
                repository,
                ref,
                MANIFEST_TYPES,
                response -> {
                  byte[] bytes = response.getBody().readAllBytes();
                  return Optional.of(ContentBlob.of(mediaType(response, bytes), bytes));
                });
    return result;
  }

  /** GET /v2/REPO/tags/list: the tags, sorted, or empty when the repository is unknown. */
  static List<String> listTags(RegistryClient client, String repository) throws Exception {
    @SuppressWarnings("unchecked")
    Optional<List<String>> result =
        (Optional<List<String>>)
            call(
                client,
                "/tags/",
                repository,
                "list",
                List.of("application/json"),
                response -> {
                  JsonNode node = JSON.readTree(response.getBody());
                  List<String> tags = new ArrayList<>();
                  node.path("tags").forEach(t -> tags.add(t.asText()));
                  tags.sort(null);
                  return Optional.of(List.copyOf(tags));
                });
    return result.orElse(List.of());
  }

  /** GET /v2/_catalog, page by page (1000 a page, {@code last} the previous page's end). */
  static List<String> listRepositories(RegistryClient client) throws Exception {
    List<String> all = new ArrayList<>();
    String last = null;
    while (true) {
      String query = "?n=" + CATALOG_PAGE + (last == null ? "" : "&last=" + last);
      @SuppressWarnings("unchecked")
      Optional<List<String>> page =
          (Optional<List<String>>)
              call(
                  client,
                  "_catalog",
                  "",
                  query,
                  List.of("application/json"),
                  response -> {
                    List<String> names = new ArrayList<>();
                    JSON.readTree(response.getBody())
                        .path("repositories")
                        .forEach(r -> names.add(r.asText()));
                    return Optional.of(names);
                  });
      List<String> names = page.orElse(List.of());
      all.addAll(names);
      if (names.size() < CATALOG_PAGE) {
        break;
      }
      last = names.get(names.size() - 1);
    }
    all.sort(null);
    return List.copyOf(all);
  }

  private static String mediaType(Response response, byte[] bytes) throws IOException {
    for (String header : response.getHeader("Content-Type")) {
      String type = header.split(";", 2)[0].trim();
      if (MANIFEST_TYPES.contains(type)) {
        return type;
      }
    }
    // Registries that answer with a generic type: the document names its own.
    JsonNode media = JSON.readTree(bytes).path("mediaType");
    if (media.isTextual() && MANIFEST_TYPES.contains(media.asText())) {
      return media.asText();
    }
    JsonNode node = JSON.readTree(bytes);
    return node.has("manifests") ? MANIFEST_TYPES.get(1) : MANIFEST_TYPES.get(0);
  }

  private interface Body {
    Object read(Response response) throws IOException;
  }

  private static Object call(
      RegistryClient client,
      String endpoint,
      String repository,
      String last,
      List<String> accept,
      Body body)
      throws Exception {
    InvocationHandler handler =
        (proxy, method, args) ->
            switch (method.getName()) {
              case "getHttpMethod" -> "GET";
              case "getApiRoute" -> new URL(args[0] + repository + endpoint + last);
              case "getContent" -> null;
              case "getAccept" -> accept;
              case "handleResponse" -> body.read((Response) args[0]);
              case "handleHttpResponseException" -> {
                ResponseException failure = (ResponseException) args[0];
                if (failure.getStatusCode() == 404) {
                  yield Optional.empty();
                }
                throw failure;
              }
              case "getActionDescription" -> "GET " + repository + endpoint + last;
              case "toString" -> "RawEndpoint[" + repository + endpoint + last + "]";
              case "hashCode" -> System.identityHashCode(proxy);
              case "equals" -> proxy == args[0];
              default -> throw new UnsupportedOperationException(method.getName());
            };
    Object provider =
        Proxy.newProxyInstance(PROVIDER.getClassLoader(), new Class<?>[] {PROVIDER}, handler);
    try {
      return CALL.invoke(client, provider);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    }
  }
}
