package dev.scoresde.train;

import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.sde.Sde;
import dev.scoresde.train.loss.LossSettings;
import dev.scoresde.optim.AdamSettings;
import java.nio.file.Path;

/**
 * Everything that defines a training run besides its data.
 *
 * @param name the model's name in its card
 * @param network the architecture (channels, size and classes already matched to the data)
 * @param sde the forward SDE
 * @param emaRate the EMA rate of the served weights
 * @param emaWarmup warm the EMA decay up as the reference does, min(rate, (1 + n)/(10 + n))
 * @param checkpointDir the run folder that holds step-NNNNNNNN checkpoints and samples/
 * @param resume continue from the newest checkpoint in the folder (if any); if false the folder must hold none
 */
public record TrainingJob(String name, NetworkSpec network, Sde sde, LossSettings loss, AdamSettings adam,
    double emaRate, boolean emaWarmup, TrainerSettings settings, Path checkpointDir, boolean resume) {}
