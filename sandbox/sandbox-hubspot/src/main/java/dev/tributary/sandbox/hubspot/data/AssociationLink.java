package dev.tributary.sandbox.hubspot.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A many-to-one association generated with the portal (each contact has at most one company, each line item one
 * deal...), stored as one int per child plus a compressed reverse index so a parent's children (a company's
 * thousands of contacts) are a slice of one array.
 */
public final class AssociationLink {
    private final ObjectType child;
    private final ObjectType parent;
    private final int[] parentOf;
    private final int[] offsets;
    private final int[] children;
    private final List<AssociationType> childToParent;
    private final List<AssociationType> parentToChild;
    private final AssociationType labeledChildToParent;
    private final AssociationType labeledParentToChild;
    private final IntPredicate labeled;

    public AssociationLink(ObjectType child, ObjectType parent, int[] parentOf, int parentCount,
                           List<AssociationType> childToParent, List<AssociationType> parentToChild,
                           AssociationType labeledChildToParent, AssociationType labeledParentToChild, IntPredicate labeled) {
        this.child = child;
        this.parent = parent;
        this.parentOf = parentOf;
        this.childToParent = List.copyOf(childToParent);
        this.parentToChild = List.copyOf(parentToChild);
        this.labeledChildToParent = labeledChildToParent;
        this.labeledParentToChild = labeledParentToChild;
        this.labeled = labeled == null ? i -> false : labeled;
        this.offsets = new int[parentCount + 1];
        for (int p : parentOf) if (p >= 0) offsets[p + 1]++;
        for (int i = 0; i < parentCount; i++) offsets[i + 1] += offsets[i];
        this.children = new int[offsets[parentCount]];
        int[] fill = Arrays.copyOf(offsets, parentCount);
        for (int c = 0; c < parentOf.length; c++) {
            int p = parentOf[c];
            if (p >= 0) children[fill[p]++] = c;
        }
    }

    public ObjectType child() { return child; }
    public ObjectType parent() { return parent; }

    public boolean connects(ObjectType from, ObjectType to) {
        return (from == child && to == parent) || (from == parent && to == child);
    }

    /** Indexes of the records of the other type associated with {@code index} of type {@code from}. */
    public int[] targets(ObjectType from, int index) {
        if (from == child) {
            if (index >= parentOf.length || parentOf[index] < 0) return new int[0];
            return new int[] {parentOf[index]};
        }
        if (index + 1 >= offsets.length) return new int[0];
        return Arrays.copyOfRange(children, offsets[index], offsets[index + 1]);
    }

    public int targetCount(ObjectType from, int index) {
        if (from == child) return index < parentOf.length && parentOf[index] >= 0 ? 1 : 0;
        return index + 1 < offsets.length ? offsets[index + 1] - offsets[index] : 0;
    }

    /** The association types of one pair, seen from {@code from}. */
    public List<AssociationType> types(ObjectType from, int fromIndex, int toIndex) {
        int childIndex = from == child ? fromIndex : toIndex;
        List<AssociationType> base = from == child ? childToParent : parentToChild;
        if (!labeled.test(childIndex)) return base;
        List<AssociationType> out = new ArrayList<>(base);
        out.add(from == child ? labeledChildToParent : labeledParentToChild);
        return out;
    }

    /** Every association type of this pair seen from {@code from} (the labels endpoint). */
    public List<AssociationType> allTypes(ObjectType from) {
        List<AssociationType> out = new ArrayList<>(from == child ? childToParent : parentToChild);
        AssociationType l = from == child ? labeledChildToParent : labeledParentToChild;
        if (l != null) out.add(l);
        return out;
    }
}
