package dev.tributary.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A model of one serve process syncing many tenants, without network or warehouse, to see where the design's limits
 * are at 10,000 tenants. Documented in bench/README.md ("Multi-tenant app"). The model:
 * <ul>
 * <li>Tenant sizes: contacts log-normal (median {@code --median-contacts}, shape {@code --sigma}), companies a fifth of
 *     that; HubSpot pages hold 100 records, so a tenant makes {@code overhead calls + ceil(contacts/100) + ceil(companies/100)}
 *     calls, its two streams in parallel.</li>
 * <li>Network: each call takes {@code --latency-ms}; an account allows 100 calls per 10 s, so a tenant with k &gt; 100
 *     calls needs at least (k - 100) / 10 s (the limiter spaces them; 429s never happen).</li>
 * <li>CPU: {@code --cpu-per-tenant-s} per tenant (token, discovery, opening the warehouse session, bookkeeping) plus
 *     {@code --cpu-per-record-ms} per record; with more tenant slots than cores, each slot gets cores/slots of a core.</li>
 * <li>Scheduling as serve does it: tenants in order (failed first, then oldest sync), at most {@code C} at once, a slot
 *     taken by the next tenant as soon as one frees. A tenant's latency is from the run's start to its end.</li>
 * </ul>
 * For each concurrency it prints the time to sync all, whether that fits the interval, per-tenant latency and sync
 * time p50/p99, and which resource bounds it (the accounts' rate limits, the network wait, or the CPU).
 */
public final class TenantSimulation {
    private TenantSimulation() {}

    record Params(int tenants, int cores, double latencyMs, int overheadCalls, double cpuPerTenantS, double cpuPerRecordMs, int medianContacts,
                  double sigma, int intervalMinutes, long seed, int[] concurrencies) {}

    public static void main(String[] args) {
        Params p = parse(args);
        System.out.printf(Locale.ROOT, "simulation: %,d tenants (contacts log-normal, median %,d, sigma %.2f), %d cores, %.0f ms per call, %d calls of "
                        + "overhead, CPU %.2f s per tenant + %.3f ms per record, interval %d min, seed %d%n", p.tenants(), p.medianContacts(),
                p.sigma(), p.cores(), p.latencyMs(), p.overheadCalls(), p.cpuPerTenantS(), p.cpuPerRecordMs(), p.intervalMinutes(), p.seed());
        double[][] tenants = tenants(p);
        double records = 0;
        double calls = 0;
        int limited = 0;
        for (double[] t : tenants) {
            records += t[2];
            calls += t[3];
            if (t[3] > 100) limited++;
        }
        double cpu = 0;
        for (double[] t : tenants) cpu += t[1];
        System.out.printf(Locale.ROOT, "records %,.0f, API calls %,.0f; tenants whose sync is paced by the 100-per-10-s account limit: %,d%n",
                records, calls, limited);
        System.out.printf(Locale.ROOT, "CPU for one pass over all tenants: %,.0f core-seconds: at least %.1f cores to finish within %d min%n", cpu,
                cpu / (p.intervalMinutes() * 60.0), p.intervalMinutes());
        System.out.println("| max_concurrent_tenants | time to sync all | fits 15-min interval | latency p50 | latency p99 | sync time p50 | sync time p99 | bound by |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int c : p.concurrencies()) {
            Result r = simulate(p, tenants, c);
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %.1f s | %.1f s | %s |%n", c, human(r.makespan), r.makespan <= p.intervalMinutes() * 60.0
                    ? "yes" : "no", human(r.latencyP50), human(r.latencyP99), r.syncP50, r.syncP99, r.boundBy);
        }
    }

    record Result(double makespan, double latencyP50, double latencyP99, double syncP50, double syncP99, String boundBy) {}

    /** Per tenant: network seconds, CPU seconds, records, calls. */
    static double[][] tenants(Params p) {
        SplittableRandom random = new SplittableRandom(p.seed());
        double[][] out = new double[p.tenants()][];
        for (int i = 0; i < p.tenants(); i++) {
            double gaussian = gaussian(random);
            int contacts = (int) Math.min(1_000_000, Math.max(1, Math.round(p.medianContacts() * Math.exp(p.sigma() * gaussian))));
            int companies = Math.max(1, contacts / 5);
            int contactPages = (contacts + 99) / 100;
            int companyPages = (companies + 99) / 100;
            int calls = p.overheadCalls() + contactPages + companyPages;
            double latency = p.latencyMs() / 1000;
            // overhead calls in sequence, then the two streams side by side
            double network = p.overheadCalls() * latency + Math.max(contactPages, companyPages) * latency;
            double paced = calls > 100 ? (calls - 100) / 10.0 : 0; // 100 per 10 s per account
            double cpu = p.cpuPerTenantS() + (contacts + companies) * p.cpuPerRecordMs() / 1000;
            out[i] = new double[] {Math.max(network, paced), cpu, contacts + companies, calls, paced > network ? 1 : 0};
        }
        return out;
    }

    static Result simulate(Params p, double[][] tenants, int concurrency) {
        double share = Math.min(1.0, (double) p.cores() / concurrency); // of a core, per slot, when all slots are busy
        PriorityQueue<Double> slots = new PriorityQueue<>();
        for (int i = 0; i < concurrency; i++) slots.add(0.0);
        double[] latency = new double[tenants.length];
        double[] sync = new double[tenants.length];
        double networkTotal = 0;
        double cpuTotal = 0;
        double pacedTotal = 0;
        for (int i = 0; i < tenants.length; i++) {
            double start = slots.poll();
            double duration = Math.max(tenants[i][0], tenants[i][1] / share);
            networkTotal += tenants[i][4] == 0 ? tenants[i][0] : 0;
            pacedTotal += tenants[i][4] == 1 ? tenants[i][0] : 0;
            cpuTotal += tenants[i][1] / share;
            sync[i] = duration;
            latency[i] = start + duration;
            slots.add(start + duration);
        }
        double makespan = 0;
        for (double end : slots) makespan = Math.max(makespan, end);
        Arrays.sort(latency);
        Arrays.sort(sync);
        String bound = cpuTotal >= networkTotal && cpuTotal >= pacedTotal ? "CPU (" + p.cores() + " cores)"
                : pacedTotal >= networkTotal ? "account rate limits" : "network wait (raise concurrency)";
        return new Result(makespan, at(latency, 0.5), at(latency, 0.99), at(sync, 0.5), at(sync, 0.99), bound);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-12, r.nextDouble());
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static String human(double seconds) {
        if (seconds < 120) return String.format(Locale.ROOT, "%.0f s", seconds);
        if (seconds < 7200) return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    static Params parse(String[] args) {
        int tenants = 10_000;
        int cores = 2;
        double latencyMs = 150;
        int overheadCalls = 7;
        double cpuPerTenant = 0.5;
        double cpuPerRecord = 0.5;
        int median = 500;
        double sigma = 1.0;
        int interval = 15;
        long seed = 19;
        int[] concurrencies = {4, 8, 16, 32, 64, 128};
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--tenants" -> tenants = Integer.parseInt(v);
                case "--cores" -> cores = Integer.parseInt(v);
                case "--latency-ms" -> latencyMs = Double.parseDouble(v);
                case "--overhead-calls" -> overheadCalls = Integer.parseInt(v);
                case "--cpu-per-tenant-s" -> cpuPerTenant = Double.parseDouble(v);
                case "--cpu-per-record-ms" -> cpuPerRecord = Double.parseDouble(v);
                case "--median-contacts" -> median = Integer.parseInt(v);
                case "--sigma" -> sigma = Double.parseDouble(v);
                case "--interval-min" -> interval = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--concurrency" -> concurrencies = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; flags: --tenants --cores --latency-ms --overhead-calls "
                        + "--cpu-per-tenant-s --cpu-per-record-ms --median-contacts --sigma --interval-min --seed --concurrency 4,8,16");
            }
        }
        return new Params(tenants, cores, latencyMs, overheadCalls, cpuPerTenant, cpuPerRecord, median, sigma, interval, seed, concurrencies);
    }
}
