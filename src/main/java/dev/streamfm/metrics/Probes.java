package dev.streamfm.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Kubernetes probes next to /metrics: {@code /healthz} (liveness: the process serves and
 * nothing it runs has failed for good) and {@code /readyz} (readiness: every check holds, e.g.
 * streams RUNNING, model loaded, model follower alive). Each answers 200 or 503 with one line per
 * check, so a failing probe says which check failed. Until a service registers its checks,
 * liveness holds and readiness does not (the service is still starting).
 */
final class Probes implements HttpHandler {

    /** Named checks, each true when it holds. */
    interface Checks extends Supplier<Map<String, Boolean>> {
    }

    private volatile Checks liveness = Map::of;
    private volatile Checks readiness = () -> Map.of("started", false);

    void register(Checks liveness, Checks readiness) {
        this.liveness = liveness;
        this.readiness = readiness;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Checks checks = switch (path) {
                case "/healthz" -> liveness;
                case "/readyz" -> readiness;
                default -> null;
            };
            if (checks == null) {
                respond(exchange, 404, "not found: " + path + " (try /metrics, /healthz, /readyz)\n");
                return;
            }
            Map<String, Boolean> results = checks.get();
            StringBuilder body = new StringBuilder();
            results.forEach((name, ok) -> body.append(name).append(ok ? " ok" : " FAILED").append('\n'));
            boolean allOk = results.values().stream().allMatch(Boolean::booleanValue);
            respond(exchange, allOk ? 200 : 503, body.isEmpty() ? "ok\n" : body.toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
