package dev.tributary.transform.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.util.ObjectIterator;
import java.util.LinkedList;
import java.util.List;

/**
 * Jinja's {@code {% for x in xs %}...{% else %}...{% endfor %}}: the else part renders only when there is nothing to
 * loop over. Jinjava's for tag has no else: it rendered the else part's text in every iteration and nothing for an
 * empty sequence.
 */
final class ForElseTag extends ForTag {
    @Override
    public String renderForCollection(TagNode tagNode, JinjavaInterpreter interpreter, List<String> loopVars, Object collection) {
        LinkedList<Node> children = tagNode.getChildren();
        int at = elseAt(children);
        if (at < 0) return super.renderForCollection(tagNode, interpreter, loopVars, collection);
        LinkedList<Node> body = new LinkedList<>(children.subList(0, at));
        List<Node> otherwise = List.copyOf(children.subList(at + 1, children.size()));
        if (!ObjectIterator.getLoop(collection).hasNext()) {
            StringBuilder out = new StringBuilder();
            for (Node n : otherwise) out.append(n.render(interpreter).getValue());
            return out.toString();
        }
        LinkedList<Node> all = new LinkedList<>(children);
        children.clear();
        children.addAll(body);
        try {
            return super.renderForCollection(tagNode, interpreter, loopVars, collection);
        } finally {
            children.clear();
            children.addAll(all);
        }
    }

    /** The index of the loop's own {@code else} among its children (an if's else is inside the if), or -1. */
    private static int elseAt(List<Node> children) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof TagNode t && t.getTag().getName().equals("else")) return i;
        }
        return -1;
    }
}
