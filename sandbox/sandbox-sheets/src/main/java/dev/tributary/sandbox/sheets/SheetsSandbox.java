package dev.tributary.sandbox.sheets;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.sandbox.sheets.data.Workbooks;
import dev.tributary.sandbox.sheets.http.ControlApi;
import dev.tributary.sandbox.sheets.http.Counters;
import dev.tributary.sandbox.sheets.http.Faults;
import dev.tributary.sandbox.sheets.http.GoogleAuth;
import dev.tributary.sandbox.sheets.http.Quotas;
import dev.tributary.sandbox.sheets.http.SheetsRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running local Google Sheets: the Sheets v4 reads, Drive file metadata and Google's token endpoint on 127.0.0.1.
 * <pre>
 * try (SheetsSandbox sheets = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(10_000).build())) {
 *     String root = sheets.baseUrl();                 // stands in for https://sheets.googleapis.com and www.googleapis.com
 *     String keyFile = sheets.serviceAccountKeyJson(); // token_uri points at the sandbox
 *     sheets.control().appendRows(sheets.leadsSpreadsheetId(), "Leads", rows);
 * }
 * </pre>
 */
public final class SheetsSandbox implements AutoCloseable {
    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final SheetsSandboxOptions options;
    private final Workbooks books;
    private final GoogleAuth auth;
    private final SheetsControl control;
    private final Counters counters = new Counters();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String controlKey;
    private final String baseUrl;
    private final SheetsClock clock = new SheetsClock();

    private SheetsSandbox(SheetsSandboxOptions options) throws IOException {
        this.options = options;
        this.auth = new GoogleAuth(options.seed(), clock, options.tokenTtlSeconds());
        this.books = new Workbooks(options.seed(), options.leads(), GoogleAuth.SERVICE_ACCOUNT, GoogleAuth.USER);
        Quotas quotas = new Quotas(clock, options.readsPerMinutePerProject(), options.readsPerMinutePerUser(), options.quotasEnabled());
        Faults faults = new Faults(options.errorRate());
        this.control = new SheetsControl(books, auth, quotas, faults, counters, clock);
        this.controlKey = "ctl-" + UUID.nameUUIDFromBytes(("sheets-control:" + options.seed()).getBytes(StandardCharsets.UTF_8));
        SheetsRouter router = new SheetsRouter(books, auth, quotas, faults, counters, clock, new ControlApi(control, controlKey));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 256);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", router);
        server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        router.baseUrl(baseUrl);
    }

    public static SheetsSandbox start(SheetsSandboxOptions options) {
        try {
            return new SheetsSandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Google Sheets sandbox on port " + options.port(), e);
        }
    }

    /** In place of https://sheets.googleapis.com (and https://www.googleapis.com for Drive), e.g. http://127.0.0.1:8090. */
    public String baseUrl() { return baseUrl; }
    public int port() { return server.getAddress().getPort(); }
    public SheetsSandboxOptions options() { return options; }
    /** The generated lead spreadsheet (shared with the service account and the OAuth user, public by link). */
    public String leadsSpreadsheetId() { return books.leadsSpreadsheetId(); }
    /** A spreadsheet shared with no one the sandbox hands out credentials for: reading it is 403. */
    public String privateSpreadsheetId() { return books.privateSpreadsheetId(); }
    public String tokenUri() { return auth.tokenUri(); }
    public String serviceAccountEmail() { return auth.serviceAccountEmail(); }
    /** A service-account key file (JSON) whose token_uri is this sandbox's. Holds a private key: write it only locally. */
    public String serviceAccountKeyJson() { return auth.serviceAccountKeyJson(); }
    public String oauthClientId() { return auth.clientId(); }
    public String oauthClientSecret() { return auth.clientSecret(); }
    public String refreshToken() { return auth.refreshToken(); }
    public String apiKey() { return auth.apiKey(); }
    public String controlKey() { return controlKey; }
    public SheetsControl control() { return control; }
    public Counters counters() { return counters; }
    /** The sandbox's clock (token expiry, quota windows, modified times); tests advance it instead of sleeping. */
    public SheetsClock clock() { return clock; }

    /** Writes the key file to {@code path} (owner-only permissions where the file system has them). */
    public Path writeServiceAccountKey(Path path) {
        try {
            // owner-only from the first byte: created 0600 (or narrowed to it before an existing file is rewritten)
            boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                var ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
                if (Files.exists(path)) {
                    Files.setPosixFilePermissions(path, ownerOnly);
                } else {
                    Files.createFile(path, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(ownerOnly));
                }
            }
            Files.writeString(path, serviceAccountKeyJson());
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the service-account key file " + path, e);
        }
    }

    /** Everything a user needs to connect, printed by the CLI. Contains credentials: show it only locally. */
    public String banner() {
        return options.describe() + "\n"
                + "base URL: " + baseUrl + " (Sheets v4 at /v4/spreadsheets, Drive at /drive/v3/files, token URI " + tokenUri() + ")\n"
                + "spreadsheet 'Leads': " + leadsSpreadsheetId() + " (tabs Leads, Bob's Import, Leads 2026, Empty)\n"
                + "spreadsheet 'Finance (private)': " + privateSpreadsheetId() + " (not shared with the service account: 403)\n"
                + "service account: " + serviceAccountEmail() + " (key file: GET " + baseUrl + "/_sandbox/service-account-key)\n"
                + "API key: " + apiKey() + "\n"
                + "OAuth: client_id " + oauthClientId() + " client_secret " + oauthClientSecret() + " refresh_token " + refreshToken() + "\n"
                + "control API: " + baseUrl + "/_sandbox/info with header " + ControlApi.KEY_HEADER + ": " + controlKey + "\n"
                + "demo data: messy on purpose (blank rows, stray spaces, duplicate leads, dates typed three ways, numbers as text)";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
