package dev.scoresde.data;

import dev.scoresde.tensor.ValueRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017) from its IDX files, as Debian's {@code dataset-fashion-mnist} installs
 * them: {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz}: 28×28 gray images in 10 classes.
 */
public final class FashionMnist {
  private FashionMnist() {}

  public static final Path DEBIAN_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /**
   * Loads a split.
   *
   * @param folder the folder with the IDX files
   * @param split "train" or "t10k"
   * @param padTo the network's image size (28 for none, 32 for the usual zero padding)
   */
  public static ImageArrayData load(Path folder, String split, int padTo, ValueRange range, long seed)
      throws IOException {
    Path images = find(folder, split + "-images-idx3-ubyte");
    Path labels = find(folder, split + "-labels-idx1-ubyte");
    IdxFile img = IdxFile.read(images);
    IdxFile lab = IdxFile.read(labels);
    if (img.dims().length != 3 || img.dims()[1] != img.dims()[2]) {
      throw new IOException(images + " does not hold square images (dims " + java.util.Arrays.toString(img.dims()) + ")");
    }
    if (lab.dims().length != 1 || lab.dims()[0] != img.dims()[0]) {
      throw new IOException(labels + " does not hold one label per image of " + images);
    }
    int[] l = new int[lab.dims()[0]];
    for (int i = 0; i < l.length; i++) {
      l[i] = lab.unsigned(i);
      if (l[i] >= CLASS_NAMES.size()) {
        throw new IOException(labels + " has label " + l[i] + " at " + i + ", outside the 10 classes");
      }
    }
    String description = "fashion-mnist " + split + " (" + l.length + " images from " + folder + ")";
    return new ImageArrayData(img.data(), l, 1, img.dims()[1], padTo, range, CLASS_NAMES, description, seed);
  }

  private static Path find(Path folder, String stem) throws IOException {
    for (String name : new String[] {stem + ".gz", stem}) {
      Path p = folder.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IOException("Fashion-MNIST file " + stem + "[.gz] not found in " + folder
        + " (install Debian's dataset-fashion-mnist: apt-get install -y dataset-fashion-mnist)");
  }
}
