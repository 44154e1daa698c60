package dev.tributary.cli;

import dev.tributary.http.ApiAccounts;
import dev.tributary.server.MetricsSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** API calls, retries and 429s per account, and the rate limiter's headroom, from the HTTP kit's accounts, for /metrics. */
final class ApiMetricsSource implements MetricsSource {
    @Override
    public List<MetricFamily> collect() {
        List<ApiAccounts.Account> accounts = ApiAccounts.all();
        return List.of(
                family("tributary_api_calls_total", "API requests sent, retries included", MetricType.COUNTER, accounts, a -> a.counters().requests()),
                family("tributary_api_retries_total", "API requests retried (5xx, dropped connections, 429)", MetricType.COUNTER, accounts,
                        a -> a.counters().retries()),
                family("tributary_api_429_total", "API answers 429 Too Many Requests", MetricType.COUNTER, accounts, a -> a.counters().tooManyRequests()),
                family("tributary_rate_limit_headroom", "calls the rate limiter's current window still admits", MetricType.GAUGE, accounts,
                        a -> a.limiter().windowHeadroom()),
                family("tributary_rate_limit_window", "calls per rate-limit window (as configured or learned from headers)", MetricType.GAUGE, accounts,
                        a -> a.limiter().windowLimit()),
                family("tributary_rate_limit_daily_remaining", "calls left today as the API last reported (-1: not reported)", MetricType.GAUGE, accounts,
                        a -> a.limiter().dailyRemaining()));
    }

    private static MetricFamily family(String name, String help, MetricType type, List<ApiAccounts.Account> accounts,
                                       ToDoubleFunction<ApiAccounts.Account> value) {
        List<Sample> samples = new ArrayList<>();
        for (ApiAccounts.Account a : accounts) samples.add(new Sample(name, Map.of("api", a.api(), "account", a.account()), value.applyAsDouble(a)));
        return new MetricFamily(name, help, type, samples);
    }
}
