package dev.tributary.transform;

/** Progress of a command, node by node, so a CLI can print dbt-like lines (see {@link ProgressLines}). */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void nodeStarted(Node node, int index, int total) {}

        @Override
        public void nodeFinished(Node node, NodeResult result, int index, int total) {}
    };

    void nodeStarted(Node node, int index, int total);

    void nodeFinished(Node node, NodeResult result, int index, int total);
}
