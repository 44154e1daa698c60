package dev.tributary.server;

import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** /settings/users (admin): the accounts, adding one, changing its role, resetting its password, disabling it. */
final class PeoplePages {
    private static final Map<String, String> DONE = Map.of("added", "Added", "role", "Changed the role of", "password", "Reset the password of",
            "disabled", "Disabled", "enabled", "Enabled");

    private final Users users;
    private final WebPages pages;
    private final Clock clock;

    PeoplePages(Users users, WebPages pages, Clock clock) {
        this.users = users;
        this.pages = pages;
        this.clock = clock;
    }

    void list(Context ctx, Session session) {
        Html h = new Html().raw("<h1>Users</h1>").raw(SettingsPages.tabs("users"));
        String done = ctx.queryParam("done");
        String who = ctx.queryParam("user");
        // only about an account that exists: a crafted link cannot make the page say anything else
        List<Users.User> all = users.list();
        if (done != null && DONE.containsKey(done) && who != null && all.stream().anyMatch(u -> u.name().equals(who))) h.element("p", "id=\"users-saved\" class=\"saved\"", DONE.get(done) + " " + who + ".");
        h.raw("<table id=\"users\"><thead><tr><th>User</th><th>Role</th><th>Status</th><th>Created</th><th>Changed</th><th>Actions</th></tr></thead><tbody>");
        h.raw("<tr class=\"user bootstrap\" " + Html.attr("data-user", users.bootstrapAdmin()) + ">").td(users.bootstrapAdmin())
                .raw("<td class=\"user-role\">admin</td><td>enabled</td>").element("td", "colspan=\"3\" class=\"muted\"",
                        "The bootstrap admin from TRIBUTARY_ADMIN_USER / TRIBUTARY_ADMIN_PASSWORD; change it in the environment.").raw("</tr>");
        String csrf = WebPages.csrfInput(session);
        for (Users.User u : all) {
            String base = "/settings/users/" + Html.url(u.name());
            h.raw("<tr class=\"user" + (u.disabled() ? " disabled" : "") + "\" " + Html.attr("data-user", u.name()) + ">").td(u.name())
                    .element("td", "class=\"user-role\"", u.role().label())
                    .element("td", "class=\"user-status\"", u.disabled() ? "disabled" : "enabled")
                    .td(Html.time(u.createdAt())).td(Html.time(u.updatedAt())).raw("<td class=\"user-actions\">");
            h.raw("<form class=\"inline set-role\" method=\"post\" " + Html.attr("action", base + "/role") + ">" + csrf)
                    .raw("<label>Role " + roleSelect(u.role()) + "</label><button type=\"submit\">Save role</button></form>");
            h.raw("<form class=\"inline reset-password\" method=\"post\" " + Html.attr("action", base + "/password") + ">" + csrf)
                    .raw("<label>New password <input type=\"password\" name=\"password\" autocomplete=\"new-password\" required minlength=\""
                            + Users.MIN_PASSWORD + "\"></label><label>Again <input type=\"password\" name=\"confirm\" autocomplete=\"new-password\" required></label>"
                            + "<button type=\"submit\">Reset password</button></form>");
            String toggle = u.disabled() ? "enable" : "disable";
            h.raw("<form class=\"inline " + toggle + "\" method=\"post\" " + Html.attr("action", base + "/" + toggle) + ">" + csrf
                    + "<button type=\"submit\">" + (u.disabled() ? "Enable" : "Disable") + "</button></form>");
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        if (!users.stored()) {
            h.element("p", "class=\"muted\" id=\"no-store\"", "This server keeps no accounts (no metadata store): only the bootstrap admin logs in.");
        } else {
            h.raw("<h2>Add a user</h2><form id=\"add-user\" method=\"post\" action=\"/settings/users\">" + csrf)
                    .raw("<label>User name <input name=\"username\" required maxlength=\"64\" autocomplete=\"off\"></label>")
                    .raw("<label>Role " + roleSelect(Role.VIEWER) + "</label>")
                    .raw("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"new-password\" required minlength=\"" + Users.MIN_PASSWORD + "\"></label>")
                    .raw("<label>Again <input type=\"password\" name=\"confirm\" autocomplete=\"new-password\" required></label>")
                    .raw("<button type=\"submit\">Add user</button></form>")
                    .element("p", "class=\"muted\"", "Passwords: at least " + Users.MIN_PASSWORD + " characters, 4 different ones, not the user name. "
                            + "Viewers read; operators also trigger, cancel, re-run, pause and backfill; admins also manage users and settings.");
        }
        ctx.html(pages.layout("Users", Optional.of(session), h.toString()));
    }

    void add(Context ctx, Session session) {
        String name = trimmed(ctx.formParam("username"));
        Role role = role(ctx);
        char[] password = password(ctx);
        Users.User u = refusing(() -> users.add(name, role, password, clock.instant()));
        AuditLog.record(ctx, "user-add", "user " + u.name(), "role " + u.role().label());
        done(ctx, "added", u.name());
    }

    void setRole(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        Role role = role(ctx);
        Role before = users.find(name).map(Users.User::role).orElse(null);
        Users.User u = refusing(() -> users.setRole(name, role, clock.instant()));
        AuditLog.record(ctx, "user-set-role", "user " + u.name(), (before == null ? "" : before.label() + " → ") + u.role().label());
        done(ctx, "role", u.name());
    }

    void resetPassword(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        char[] password = password(ctx);
        Users.User u = refusing(() -> users.resetPassword(name, password, clock.instant()));
        AuditLog.record(ctx, "user-reset-password", "user " + u.name(), "");
        done(ctx, "password", u.name());
    }

    void disable(Context ctx, Session session) {
        toggle(ctx, true);
    }

    void enable(Context ctx, Session session) {
        toggle(ctx, false);
    }

    private void toggle(Context ctx, boolean disabled) {
        String name = ctx.pathParam("name");
        Users.User u = refusing(() -> users.setDisabled(name, disabled, clock.instant()));
        AuditLog.record(ctx, disabled ? "user-disable" : "user-enable", "user " + u.name(), "");
        done(ctx, disabled ? "disabled" : "enabled", u.name());
    }

    /** GET /api/v1/users (admin): the accounts, never a password hash. */
    void listApi(Context ctx) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("name", users.bootstrapAdmin());
        bootstrap.put("role", Role.ADMIN.label());
        bootstrap.put("disabled", false);
        bootstrap.put("bootstrap", true);
        out.add(bootstrap);
        for (Users.User u : users.list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", u.name());
            m.put("role", u.role().label());
            m.put("disabled", u.disabled());
            m.put("bootstrap", false);
            m.put("createdAt", u.createdAt().toString());
            m.put("updatedAt", u.updatedAt().toString());
            out.add(m);
        }
        ApiRoutes.json(ctx, 200, Map.of("users", out));
    }

    private static String roleSelect(Role selected) {
        StringBuilder b = new StringBuilder("<select name=\"role\">");
        for (Role r : Role.values()) {
            b.append("<option value=\"").append(r.label()).append('"').append(r == selected ? " selected" : "").append('>').append(r.label()).append("</option>");
        }
        return b.append("</select>").toString();
    }

    private static Role role(Context ctx) {
        try {
            return Role.parse(ctx.formParam("role"));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    private static char[] password(Context ctx) {
        String password = ctx.formParam("password");
        if (password == null || !password.equals(ctx.formParam("confirm"))) throw new HttpProblem(400, "the two passwords differ");
        return password.toCharArray();
    }

    private static String trimmed(String s) {
        return s == null ? null : s.strip();
    }

    private static Users.User refusing(java.util.function.Supplier<Users.User> change) {
        try {
            return change.get();
        } catch (Users.Refused e) {
            throw new HttpProblem(e.status(), e.getMessage());
        }
    }

    private static void done(Context ctx, String what, String user) {
        ctx.redirect("/settings/users?done=" + what + "&user=" + Html.url(user), HttpStatus.SEE_OTHER);
    }
}
