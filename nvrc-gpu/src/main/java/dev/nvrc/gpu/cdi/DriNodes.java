package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The DRM nodes of a GPU, from {@code /sys/bus/pci/devices/<bdf>/drm/} ({@code card1},
 * {@code renderD128}); empty when nvidia-drm is not loaded.
 *
 * @param cards the {@code card<N>} names, by number
 * @param renders the {@code renderD<N>} names, by number
 */
record DriNodes(List<String> cards, List<String> renders) {
    private static final Pattern CARD = Pattern.compile("card\\d{1,9}");
    private static final Pattern RENDER = Pattern.compile("renderD\\d{1,9}");

    DriNodes {
        cards = List.copyOf(cards);
        renders = List.copyOf(renders);
    }

    /** The DRM nodes sysfs shows for the GPU at {@code bdf}. */
    static DriNodes of(NvrcPaths paths, String bdf) throws BootFailure {
        String dir = "/sys/bus/pci/devices/" + bdf + "/drm";
        List<String> cards = new ArrayList<>();
        List<String> renders = new ArrayList<>();
        for (String name : KernelMadeFiles.names(paths.resolve(dir), dir)) {
            if (CARD.matcher(name).matches()) {
                cards.add(name);
            } else if (RENDER.matcher(name).matches()) {
                renders.add(name);
            }
        }
        cards.sort(BY_NUMBER);
        renders.sort(BY_NUMBER);
        return new DriNodes(cards, renders);
    }

    /** Container paths of the nodes: cards first, then render nodes. */
    List<String> nodePaths() {
        List<String> out = new ArrayList<>();
        for (String c : cards) {
            out.add("/dev/dri/" + c);
        }
        for (String r : renders) {
            out.add("/dev/dri/" + r);
        }
        return out;
    }

    /** The {@code /dev/dri/by-path} links udev would make: {@code ../card1::/dev/dri/by-path/pci-<bdf>-card}. */
    List<String> byPathLinks(String bdf) {
        List<String> out = new ArrayList<>();
        for (String c : cards) {
            out.add("../" + c + "::/dev/dri/by-path/pci-" + bdf + "-card");
        }
        for (String r : renders) {
            out.add("../" + r + "::/dev/dri/by-path/pci-" + bdf + "-render");
        }
        return out;
    }

    boolean isEmpty() {
        return cards.isEmpty() && renders.isEmpty();
    }

    /** By the number in the name ({@code card2} before {@code card10}); a class, not a lambda (no bootstrap at boot). */
    private static final Comparator<String> BY_NUMBER = new Comparator<>() {
        @Override
        public int compare(String a, String b) {
            return Long.compare(number(a), number(b));
        }
    };

    private static long number(String name) {
        int i = 0;
        while (!Character.isDigit(name.charAt(i))) {
            i++;
        }
        return Long.parseLong(name.substring(i));
    }
}
