package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pages are titled with the project's tributary.yml name (escaped), next to the brand. */
class ProjectNameTest {
    private static final ProjectData NAMED = new ProjectData() {
        public String projectName() { return "acme <revops>"; }
        public List<ConnectionInfo> connections() { return NONE.connections(); }
        public List<ModelInfo> models() { return NONE.models(); }
        public Optional<ModelInfo> model(String name) { return NONE.model(name); }
        public Optional<Long> rowCount(ModelInfo model) { return NONE.rowCount(model); }
        public List<CheckResult> latestChecks() { return NONE.latestChecks(); }
        public List<CheckResult> checkHistory(String checkName, int limit) { return NONE.checkHistory(checkName, limit); }
        public Map<String, Long> checkFailureCounts() { return NONE.checkFailureCounts(); }
        public QueryResult query(String sql, int maxRows) { return NONE.query(sql, maxRows); }
        public String selectAllFrom(String modelName) { return NONE.selectAllFrom(modelName); }
    };

    @Test
    void pagesCarryTheProjectName() {
        try (TestServer s = new TestServer(new FakePipelineService(), NAMED, "port: 0")) {
            s.loginAsAdmin();
            String page = s.get("/runs").body();
            assertThat(page).contains("<title>Runs · acme &lt;revops&gt; · Tributary</title>")
                    .contains("<span class=\"project-name\">acme &lt;revops&gt;</span>");
        }
    }
}
