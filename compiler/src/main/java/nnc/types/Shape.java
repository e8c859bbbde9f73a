package nnc.types;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** A tensor shape: row-major, possibly with symbolic dimensions. The scalar shape has rank 0. */
public record Shape(List<Dim> dims) {
    public Shape {
        dims = List.copyOf(dims);
    }

    public static final Shape SCALAR = new Shape(List.of());

    public static Shape of(Dim... dims) { return new Shape(List.of(dims)); }

    public static Shape of(long... sizes) {
        List<Dim> d = new ArrayList<>();
        for (long s : sizes) d.add(Dim.of(s));
        return new Shape(d);
    }

    public int rank() { return dims.size(); }

    public Dim dim(int axis) { return dims.get(axis); }

    public Dim last() { return dims.get(dims.size() - 1); }

    public boolean isScalar() { return dims.isEmpty(); }

    public Size numel() {
        Size s = Size.of(1);
        for (Dim d : dims) s = s.times(d.asSize());
        return s;
    }

    /** Row-major stride of each axis. */
    public List<Size> strides() {
        Size[] st = new Size[rank()];
        Size acc = Size.of(1);
        for (int i = rank() - 1; i >= 0; i--) {
            st[i] = acc;
            acc = acc.times(dims.get(i).asSize());
        }
        return List.of(st);
    }

    public Shape with(int axis, Dim d) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.set(axis, d);
        return new Shape(copy);
    }

    public Shape without(Collection<Integer> axes) {
        List<Dim> copy = new ArrayList<>();
        for (int i = 0; i < rank(); i++) if (!axes.contains(i)) copy.add(dims.get(i));
        return new Shape(copy);
    }

    public Shape append(Dim d) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.add(d);
        return new Shape(copy);
    }

    @Override public String toString() {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }

    // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
    // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
    @Override public boolean equals(Object other) { return other instanceof Shape that && Objects.equals(dims, that.dims); }
    @Override public int hashCode() { return Objects.hashCode(dims); }
}
