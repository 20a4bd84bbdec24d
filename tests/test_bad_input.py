"""Bad input to every public face of convzoo, answered message by message (issue 10).

Each case feeds one wrong thing (rank, dtype, channels/groups, a kernel larger than the padded input, a zero or
negative size, a bad mode string, a non-integer stride, an empty batch, a bias of the wrong length, ...) and
requires a ``ValueError``/``TypeError`` whose message names the argument and the sizes involved: never a numpy
broadcasting error, an ``IndexError``/``ZeroDivisionError`` from deep inside, a silent wrong shape or an empty
output. The second half checks that NaN and inf in the *data* are not refused but propagate exactly as the
same computation written in plain numpy would propagate them.
"""
import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import convzoo as cz

# inf * 0 and inf - inf warn in numpy as they do here; the values are what the tests check
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

X = np.ones((2, 3, 5, 5))          # a batch of two 3-channel 5x5 images
W = np.ones((4, 3, 3, 3))          # four 3x3 filters over 3 channels
XT, WT = np.ones((1, 3, 3, 3)), np.ones((3, 2, 3, 3))   # a transposed conv: 3 in, 2 out channels
SE = dict(w1=np.ones((2, 8)), b1=np.zeros(2), w2=np.ones((8, 2)), b2=np.zeros(8))


def unit(c_in=8, c_out=8, groups=2, stride=1):
    return cz.init_shufflenet_unit(c_in, c_out, groups, stride=stride, rng=np.random.default_rng(0))


# (id, call, exception, regex the message must match): the regex holds the argument's name and the sizes.
CASES = [
    # ---- wrong rank ------------------------------------------------------------------------------------------
    ("conv2d/input-2d", lambda: cz.conv2d(np.ones((5, 5)), W), ValueError,
     r"Expected 3D or 4D input to conv2d, but got input of size: \(5, 5\)"),
    ("conv2d/input-5d", lambda: cz.conv2d(np.ones((1, 1, 3, 5, 5)), W), ValueError,
     r"Expected 3D or 4D input to conv2d, but got input of size: \(1, 1, 3, 5, 5\)"),
    ("conv1d/weight-4d", lambda: cz.conv1d(np.ones((1, 3, 5)), W), ValueError,
     r"Expected 3D weight \(out_channels, in_channels/groups, \*kernel\) to conv1d, but got weight of size "
     r"\(4, 3, 3, 3\)"),
    ("conv_general/weight-2d", lambda: cz.conv_general(X, np.ones((3, 3))), ValueError,
     r"weight must have 3, 4 or 5 dimensions .* but got weight of size \(3, 3\)"),
    ("conv_transpose2d/weight-3d", lambda: cz.conv_transpose2d(XT, np.ones((3, 2, 3))), ValueError,
     r"Expected 4D weight .* to conv_transpose2d, but got weight of size \(3, 2, 3\)"),
    ("max_pool3d/input-2d", lambda: cz.max_pool3d(np.ones((5, 5)), 2), ValueError,
     r"Expected 4D or 5D input to max_pool3d, but got input of size: \(5, 5\)"),
    ("avg_pool1d/input-4d", lambda: cz.avg_pool1d(X, 2), ValueError,
     r"Expected 2D or 3D input to avg_pool1d, but got input of size: \(2, 3, 5, 5\)"),
    ("max_unpool2d/input-2d", lambda: cz.max_unpool2d(np.ones((2, 2)), np.zeros((2, 2), int), 2), ValueError,
     r"Expected 3D or 4D input to max_unpool2d, but got input of size: \(2, 2\)"),
    ("interpolate/bilinear-5d", lambda: cz.interpolate(np.ones((1, 1, 2, 3, 3)), size=2, mode="bilinear"),
     ValueError, r"Got 5D input of size \(1, 1, 2, 3, 3\), but bilinear mode needs 4D input"),
    ("interpolate/linear-4d", lambda: cz.interpolate(X, size=2, mode="linear"), ValueError,
     r"Got 4D input of size \(2, 3, 5, 5\), but linear mode needs 3D input"),
    ("interpolate/nearest-2d", lambda: cz.interpolate(np.ones((3, 3)), size=2), ValueError,
     r"mode='nearest' expects a 3D, 4D or 5D input .* but got input of size \(3, 3\)"),
    ("pixel_shuffle/input-2d", lambda: cz.pixel_shuffle(np.ones((4, 2)), 2), ValueError,
     r"Expected 3D or 4D input to pixel_shuffle, but got input of size: \(4, 2\)"),
    ("channel_shuffle/input-2d", lambda: cz.channel_shuffle(np.ones((6, 2)), 2), ValueError,
     r"Expected 3D or 4D input to channel_shuffle, but got input of size: \(6, 2\)"),
    ("pointwise_conv2d/weight-3d", lambda: cz.pointwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((4, 3, 1))),
     ValueError, r"Expected 2D or 4D weight to pointwise_conv2d, but got weight of size: \(4, 3, 1\)"),
    ("separate_kernel/1d", lambda: cz.separate_kernel([1, 2, 3]), ValueError,
     r"Expected 2D kernel to separate_kernel, but got kernel of size: \(3,\)"),
    ("flatten_filter/2d", lambda: cz.flatten_filter(np.ones((3, 3))), ValueError,
     r"Expected 3D filter to flatten_filter, but got filter of size: \(3, 3\)"),
    ("convolve/3d", lambda: cz.convolve(np.ones((2, 2, 2)), np.ones((2, 2, 2))), ValueError,
     r"Expected 1D or 2D a to convolve, but got a of size: \(2, 2, 2\)"),
    ("convolve/rank-mismatch", lambda: cz.convolve([1, 2, 3], [[1, 1]]), ValueError,
     r"convolve: a and v must have the same number of dimensions, but got a of size \(3,\) and v of size \(1, 2\)"),
    ("squeeze_excitation/x-2d", lambda: cz.squeeze_excitation(np.ones((8, 4)), **SE), ValueError,
     r"Expected 3D or 4D x to squeeze_excitation, but got x of size: \(8, 4\)"),
    ("causal_conv1d/input-1d", lambda: cz.causal_conv1d(np.ones(5), np.ones((1, 1, 2))), ValueError,
     r"Expected 2D or 3D input to causal_conv1d, but got input of size: \(5,\)"),
    ("spatially_separable_conv2d/vertical-3d",
     lambda: cz.spatially_separable_conv2d(np.ones((1, 1, 5, 5)), np.ones((2, 2, 3)), np.ones((2, 3))), ValueError,
     r"Expected 1D or 2D vertical to spatially_separable_conv2d, but got vertical of size: \(2, 2, 3\)"),

    # ---- wrong dtype: bool, complex, strings, objects, ragged lists ------------------------------------------
    ("conv2d/bool", lambda: cz.conv2d(X.astype(bool), W), TypeError,
     r"input must be a numeric array of integers or floats, but got dtype bool"),
    ("conv2d/complex-weight", lambda: cz.conv2d(X, W.astype(complex)), TypeError,
     r"weight must be a numeric array of integers or floats, but got dtype complex128"),
    ("conv2d/string", lambda: cz.conv2d("abc", W), TypeError, r"input must be a numeric array .* dtype <U3"),
    ("conv2d/object", lambda: cz.conv2d(np.array([None] * 4).reshape(1, 1, 2, 2), W), TypeError,
     r"input must be a numeric array .* dtype object"),
    ("conv2d/ragged", lambda: cz.conv2d([[1, 2], [3]], W), TypeError,
     r"input must be a numeric array, but could not be converted"),
    ("conv1d/ragged-weight", lambda: cz.conv1d(np.ones((1, 1, 5)), [[[1, 2], [3]]]), TypeError,
     r"weight must be a numeric array, but could not be converted"),
    ("conv2d/bool-bias", lambda: cz.conv2d(X, W, bias=np.ones(4, bool)), TypeError,
     r"bias must be a numeric array .* dtype bool"),
    ("conv_transpose2d/bool", lambda: cz.conv_transpose2d(XT.astype(bool), WT), TypeError,
     r"input must be a numeric array .* dtype bool"),
    ("max_pool2d/complex", lambda: cz.max_pool2d(X.astype(complex), 2), TypeError,
     r"input must be a numeric array .* dtype complex128"),
    ("interpolate/bool", lambda: cz.interpolate(X.astype(bool), size=2), TypeError,
     r"input must be a numeric array .* dtype bool"),
    ("max_unpool2d/float-indices", lambda: cz.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2)), 2),
     TypeError, r"indices must be an integer array .* but got dtype float64"),
    ("max_unpool2d/bool-indices",
     lambda: cz.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), bool), 2), TypeError,
     r"indices must be a numeric array .* dtype bool"),
    ("pixel_unshuffle/bool", lambda: cz.pixel_unshuffle(np.ones((1, 4, 2, 2), bool), 2), TypeError,
     r"input must be a numeric array .* dtype bool"),
    ("correlate/string", lambda: cz.correlate("abc", [1]), TypeError, r"a must be a numeric array .* dtype <U3"),
    ("convolve/object", lambda: cz.convolve(np.array([1, None]), [1]), TypeError,
     r"a must be a numeric array .* dtype object \(is it a list of lists of different lengths\?\)"),
    ("relu/string", lambda: cz.relu("a"), TypeError, r"input must be a numeric array .* dtype <U1"),
    ("sigmoid/bool", lambda: cz.sigmoid(np.array([True])), TypeError, r"input must be a numeric array .* bool"),

    # ---- channels and groups ---------------------------------------------------------------------------------
    ("conv2d/channels", lambda: cz.conv2d(np.ones((1, 2, 5, 5)), W), ValueError,
     r"Given groups=1, weight of size \(4, 3, 3, 3\), expected input \(1, 2, 5, 5\) to have 3 channels, but got 2 "
     r"channels instead"),
    ("conv_general_naive/channels", lambda: cz.conv_general_naive(np.ones((1, 2, 5, 5)), W), ValueError,
     r"expected input \(1, 2, 5, 5\) to have 3 channels, but got 2"),
    ("conv2d/groups-out", lambda: cz.conv2d(np.ones((1, 6, 5, 5)), np.ones((3, 3, 3, 3)), groups=2), ValueError,
     r"out_channels must be divisible by groups, but got weight of size \(3, 3, 3, 3\) \(3 out_channels\) with "
     r"groups=2"),
    ("conv2d/groups-in", lambda: cz.conv2d(np.ones((1, 4, 5, 5)), np.ones((4, 3, 3, 3)), groups=2), ValueError,
     r"Given groups=2, weight of size \(4, 3, 3, 3\), expected input \(1, 4, 5, 5\) to have 6 channels"),
    ("conv3d/channels", lambda: cz.conv3d(X, np.ones((1, 3, 2, 2, 2))), ValueError,
     r"expected input \(1, 2, 3, 5, 5\) to have 3 channels, but got 2"),
    ("conv_transpose2d/channels", lambda: cz.conv_transpose2d(np.ones((1, 2, 3, 3)), WT), ValueError,
     r"Given transposed=1, weight of size \(3, 2, 3, 3\), expected input \(1, 2, 3, 3\) to have 3 channels, but "
     r"got 2"),
    ("conv_transpose2d/groups", lambda: cz.conv_transpose2d(np.ones((1, 3, 3, 3)), WT, groups=2), ValueError,
     r"in_channels must be divisible by groups, but got weight of size \(3, 2, 3, 3\) \(3 in_channels\) with "
     r"groups=2"),
    ("grouped_conv_by_split/groups",
     lambda: cz.grouped_conv_by_split(np.ones((1, 4, 5, 5)), W, groups=2), ValueError,
     r"Given groups=2, weight of size \(4, 3, 3, 3\), expected input \(1, 4, 5, 5\) to have 6 channels"),
    ("channel_shuffle/divisible", lambda: cz.channel_shuffle(np.ones((1, 6, 2, 2)), 4), ValueError,
     r"Number of channels must be divisible by groups. Got 6 channels and 4 groups \(input of size \(1, 6, 2, 2\)\)"),
    ("shuffle_permutation/divisible", lambda: cz.shuffle_permutation(6, 4), ValueError,
     r"Got 6 channels and 4 groups"),
    ("block_diagonal_weight/divisible", lambda: cz.block_diagonal_weight(np.ones((5, 2, 3, 3)), 2), ValueError,
     r"weight of size \(5, 2, 3, 3\) \(5 out_channels\) with groups=2"),
    ("group_mask/divisible", lambda: cz.group_mask(4, 5, 2), ValueError, r"Got 5 in_channels and 2 groups"),
    ("channel_connectivity/divisible", lambda: cz.channel_connectivity([2, 3], 4), ValueError,
     r"layer 1 has groups=3, which must divide its 4 input and 4 output channels"),
    ("depthwise_conv2d/multiple", lambda: cz.depthwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((4, 1, 3, 3))),
     ValueError, r"depthwise weight of size \(4, 1, 3, 3\) does not fit input \(1, 3, 5, 5\): .* multiple of the 3"),
    ("depthwise_conv2d/in-channels", lambda: cz.depthwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((3, 2, 3, 3))),
     ValueError, r"expected \(C \* m, 1, kh, kw\), but got weight of size \(3, 2, 3, 3\)"),
    ("depthwise_conv2d/multiplier",
     lambda: cz.depthwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((6, 1, 3, 3)), depth_multiplier=3), ValueError,
     r"depth_multiplier=3 with 3 input channels needs 9 kernels, but got weight of size \(6, 1, 3, 3\)"),
    ("pointwise_conv2d/channels", lambda: cz.pointwise_conv2d(np.ones((1, 3, 5, 5)), np.ones((4, 2))), ValueError,
     r"weight of size \(4, 2, 1, 1\), expected input \(1, 3, 5, 5\) to have 2 channels, but got 3"),
    ("pointwise_conv2d/not-1x1", lambda: cz.pointwise_conv2d(np.ones((1, 3, 5, 5)), W), ValueError,
     r"a pointwise weight is 1x1, but got weight of size \(4, 3, 3, 3\)"),
    ("separable_conv2d/pointwise",
     lambda: cz.separable_conv2d(np.ones((1, 3, 5, 5)), np.ones((3, 1, 3, 3)), np.ones((4, 5))), ValueError,
     r"weight of size \(4, 5, 1, 1\), expected input \(1, 3, 3, 3\) to have 5 channels, but got 3"),
    ("separable_equivalent_weight/mismatch",
     lambda: cz.separable_equivalent_weight(np.ones((3, 1, 3, 3)), np.ones((4, 5))), ValueError,
     r"pointwise_weight \(4, 5\) must take the 3 channels that depthwise_weight \(3, 1, 3, 3\) makes"),
    ("flattened_conv2d/lateral",
     lambda: cz.flattened_conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 4)), np.ones((2, 3)), np.ones((2, 3))),
     ValueError, r"weight of size \(2, 4, 1, 1\), expected input \(1, 3, 5, 5\) to have 4 channels, but got 3"),
    ("squeeze_excitation/w1", lambda: cz.squeeze_excitation(np.ones((1, 8, 4, 4)), **{**SE, "w1": np.ones((2, 6))}),
     ValueError, r"w1 must have shape \(C/r, C\) with C=8 .* but got w1 of size \(2, 6\)"),
    ("squeeze_excitation/w2", lambda: cz.squeeze_excitation(np.ones((1, 8, 4, 4)), **{**SE, "w2": np.ones((8, 3))}),
     ValueError, r"w2 must have shape \(C, C/r\) = \(8, 2\) .* but got w2 of size \(8, 3\)"),
    ("shufflenet_unit/channels", lambda: cz.shufflenet_unit(np.ones((1, 6, 4, 4)), unit(), 2), ValueError,
     r"params\['conv1'\] must have size \(m, C_in/g1, 1, 1\) = \(m, 6/2, 1, 1\) for x with 6 channels .* but got "
     r"\(2, 4, 1, 1\)"),
    ("shufflenet_unit/groups", lambda: cz.shufflenet_unit(np.ones((1, 8, 4, 4)), unit(), 4), ValueError,
     r"= \(m, 8/4, 1, 1\) for x with 8 channels"),
    ("causal_conv1d/channels", lambda: cz.causal_conv1d(np.ones((1, 2, 5)), np.ones((1, 1, 2))), ValueError,
     r"weight of size \(1, 1, 2\), expected input \(1, 2, 5\) to have 1 channels, but got 2"),
    ("resize_conv2d/channels", lambda: cz.resize_conv2d(np.ones((1, 2, 3, 3)), np.ones((1, 1, 3, 3))), ValueError,
     r"weight of size \(1, 1, 3, 3\), expected input \(1, 2, 6, 6\) to have 1 channels, but got 2"),
    ("conv_params/groups", lambda: cz.conv_params(6, 4, 3, groups=4), ValueError,
     r"in_channels=6, out_channels=4, groups=4"),
    ("conv_transpose_params/groups", lambda: cz.conv_transpose_params(3, 4, 3, groups=2), ValueError,
     r"in_channels=3, out_channels=4, groups=2"),
    ("squeeze_excitation_params/reduction", lambda: cz.squeeze_excitation_params(10, 3), ValueError,
     r"channels must be divisible by reduction, but got channels=10 and reduction=3"),
    ("init_shufflenet_unit/c_out", lambda: cz.init_shufflenet_unit(8, 10, 2), ValueError,
     r"bottleneck_ratio \* c_out must be a positive whole number of channels, but got 0.25 \* 10 = 2.5"),

    # ---- kernel larger than the (padded) input; outputs that would be empty -----------------------------------
    ("conv2d/kernel-too-big", lambda: cz.conv2d(np.ones((1, 3, 2, 2)), W), ValueError,
     r"Calculated padded input size per channel: \(2, 2\). Kernel size: \(3, 3\). Kernel size can't be greater "
     r"than actual input size"),
    ("conv1d/dilated-kernel-too-big", lambda: cz.conv1d(np.ones((1, 1, 5)), np.ones((1, 1, 3)), dilation=3),
     ValueError, r"padded input size per channel: \(5,\). Kernel size: \(7,\)"),
    ("conv_matrix/kernel-too-big", lambda: cz.conv_matrix(np.ones((5, 5)), (3, 3)), ValueError,
     r"padded input size per channel: \(3, 3\). Kernel size: \(5, 5\)"),
    ("spatially_separable_conv2d/too-big",
     lambda: cz.spatially_separable_conv2d(np.ones((1, 1, 2, 2)), np.ones(3), np.ones(3)), ValueError,
     r"padded input size per channel: \(2, 2\). Kernel size: \(3, 1\)"),
    ("conv_transpose2d/too-small",
     lambda: cz.conv_transpose2d(np.ones((1, 3, 1, 1)), np.ones((3, 2, 1, 1)), padding=1), ValueError,
     r"Given input size \(1, 3, 1, 1\), weight \(3, 2, 1, 1\), stride \(1, 1\), padding \(1, 1\) .* calculated "
     r"output size \(-1, -1\) is too small"),
    ("max_pool2d/too-small", lambda: cz.max_pool2d(np.ones((1, 1, 2, 2)), 3), ValueError,
     r"Given input size: \(1x1x2x2\). Calculated output size: \(1x1x0x0\). Output size is too small"),
    ("max_unpool2d/too-small",
     lambda: cz.max_unpool2d(np.ones((1, 1, 1, 1)), np.zeros((1, 1, 1, 1), int), 1, padding=1), ValueError,
     r"the output size \(-1, -1\) computed from input \(1, 1, 1, 1\), kernel_size=\(1, 1\), stride=\(1, 1\), "
     r"padding=\(1, 1\) is too small"),
    ("interpolate/scale-too-small", lambda: cz.interpolate(X, scale_factor=0.1), ValueError,
     r"input \(5, 5\) and scale_factor=0.1, which gives output size \(0, 0\)"),
    ("conv_output_size/too-big", lambda: cz.conv_output_size(3, 5), ValueError,
     r"padded input i \+ 2p = 3 \+ 2\*0 = 3 is smaller than the dilated kernel d\(k - 1\) \+ 1 = 1\*\(5 - 1\) \+ 1 = 5"),
    ("pool_output_size/too-big", lambda: cz.pool_output_size(2, 3), ValueError,
     r"pool_output_size: the kernel does not fit: padded input i \+ 2p = 2 .* = 3"),
    ("unused_input/too-big", lambda: cz.unused_input(2, 3), ValueError, r"unused_input: the kernel does not fit"),
    ("conv_transpose_output_size/negative", lambda: cz.conv_transpose_output_size(1, 1, p=1), ValueError,
     r"the output would have size -1 \(padding p=1 crops"),
    ("direct_conv_input/negative", lambda: cz.direct_conv_input(np.ones((1,)), 5, padding=3), ValueError,
     r"Given input of size \(1,\), kernel_size \(5,\), stride \(1,\), padding \(3,\) .* output size \(-1,\) is too "
     r"small"),
    ("correlate/valid-2d", lambda: cz.correlate(np.ones((3, 2)), np.ones((2, 3)), mode="valid"), ValueError,
     r"one array must be at least as large as the other in every dimension, but got \(3, 2\) and \(2, 3\)"),

    # ---- zero and negative sizes, parameters that must be positive --------------------------------------------
    ("conv2d/zero-spatial", lambda: cz.conv2d(np.ones((1, 3, 0, 5)), W), ValueError,
     r"input must have no zero-size dimension \(batch, channel or spatial\), but got input of size \(1, 3, 0, 5\)"),
    ("conv2d/zero-out-channels", lambda: cz.conv2d(X, np.ones((0, 3, 3, 3))), ValueError,
     r"weight must have no zero-size dimension, but got weight of size \(0, 3, 3, 3\)"),
    ("conv2d/zero-kernel", lambda: cz.conv2d(X, np.ones((4, 3, 0, 3))), ValueError,
     r"weight of size \(4, 3, 0, 3\)"),
    ("conv2d/stride-0", lambda: cz.conv2d(X, W, stride=0), ValueError, r"stride must be positive, but got stride=0"),
    ("conv2d/stride-negative", lambda: cz.conv2d(X, W, stride=(1, -1)), ValueError,
     r"stride must be positive, but got stride=\(1, -1\)"),
    ("conv2d/dilation-0", lambda: cz.conv2d(X, W, dilation=0), ValueError, r"dilation must be positive"),
    ("conv_general/input_dilation-0", lambda: cz.conv_general(X, W, input_dilation=0), ValueError,
     r"input_dilation must be positive, but got input_dilation=0"),
    ("conv2d/padding-negative", lambda: cz.conv2d(X, W, padding=-1), ValueError,
     r"negative padding is not supported, got padding=-1"),
    ("conv2d/padding-pair-negative", lambda: cz.conv2d(X, W, padding=((1, -2), (3, 1))), ValueError,
     r"padding must be non-negative, but got padding=\(1, -2\)"),
    ("conv2d/groups-0", lambda: cz.conv2d(X, W, groups=0), ValueError,
     r"non-positive groups is not supported, got groups=0"),
    ("conv_transpose2d/groups-0", lambda: cz.conv_transpose2d(XT, WT, groups=0), ValueError,
     r"non-positive groups is not supported, got groups=0"),
    ("conv_transpose2d/zero-spatial", lambda: cz.conv_transpose2d(np.ones((1, 3, 0, 3)), WT), ValueError,
     r"no zero-size dimension \(batch, channel or spatial\), but got input of size \(1, 3, 0, 3\)"),
    ("max_pool2d/kernel-0", lambda: cz.max_pool2d(X, 0), ValueError,
     r"kernel_size must be positive, but got kernel_size=0"),
    ("max_pool2d/padding-more-than-half", lambda: cz.max_pool2d(X, 2, padding=2), ValueError,
     r"max_pool2d: pad should be at most half of kernel size, but got padding=2, kernel_size=2"),
    ("avg_pool2d/divisor-0", lambda: cz.avg_pool2d(X, 2, divisor_override=0), ValueError,
     r"divisor_override must be positive, but got 0"),
    ("adaptive_avg_pool2d/output-0", lambda: cz.adaptive_avg_pool2d(X, 0), ValueError,
     r"output_size must be positive, but got 0"),
    ("adaptive_avg_pool2d/output-3-sizes", lambda: cz.adaptive_avg_pool2d(X, (1, 2, 3)), ValueError,
     r"adaptive_avg_pool2d: output_size must be an int or a tuple of 2 ints .* but got \(1, 2, 3\)"),
    ("interpolate/size-0", lambda: cz.interpolate(X, size=0), ValueError, r"size must be positive, but got size=0"),
    ("interpolate/scale-negative", lambda: cz.interpolate(X, scale_factor=-1), ValueError,
     r"scale_factor must be positive and finite, but got scale_factor=-1"),
    ("interpolate/scale-nan", lambda: cz.interpolate(X, scale_factor=float("nan")), ValueError,
     r"scale_factor must be positive and finite, but got scale_factor=nan"),
    ("pixel_shuffle/factor-0", lambda: cz.pixel_shuffle(np.ones((1, 4, 2, 2)), 0), ValueError,
     r"upscale_factor must be positive, but got 0"),
    ("pixel_shuffle/divisible", lambda: cz.pixel_shuffle(np.ones((1, 3, 2, 2)), 2), ValueError,
     r"input.size\(-3\)=3 is not divisible by 4 \(input of size \(1, 3, 2, 2\), upscale_factor=2\)"),
    ("pixel_unshuffle/divisible", lambda: cz.pixel_unshuffle(np.ones((1, 1, 3, 4)), 2), ValueError,
     r"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size\(-2\)=3 is not divisible "
     r"by 2 \(input of size \(1, 1, 3, 4\)\)"),
    ("channel_shuffle/groups-0", lambda: cz.channel_shuffle(np.ones((1, 6, 2, 2)), 0), ValueError,
     r"groups must be positive, but got 0"),
    ("separate_kernel/rank-too-high", lambda: cz.separate_kernel(np.ones((3, 3)), rank=4), ValueError,
     r"rank must be at most min\(kh, kw\) = 3 for a kernel of size \(3, 3\), but got rank=4"),
    ("separate_kernel/rank-0", lambda: cz.separate_kernel(np.ones((3, 3)), rank=0), ValueError,
     r"rank must be positive, but got 0"),
    ("separable_decompose/multiplier", lambda: cz.separable_decompose(np.ones((2, 3, 3, 3)), 3), ValueError,
     r"depth_multiplier must be at most min\(C_out, kh \* kw\) = 2 for a weight of size \(2, 3, 3, 3\)"),
    ("flatten_filter/max_iter-0", lambda: cz.flatten_filter(np.ones((2, 3, 3)), max_iter=0), ValueError,
     r"max_iter must be positive, but got 0"),
    ("same_padding/kernel-0", lambda: cz.same_padding(5, 0), ValueError, r"kernel size k must be positive, but got 0"),
    ("conv_output_size/stride-0", lambda: cz.conv_output_size(3, 1, s=0), ValueError,
     r"stride s must be positive, but got 0"),
    ("pool_output_size/padding", lambda: cz.pool_output_size(5, 2, p=2), ValueError,
     r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=2"),
    ("conv_transpose_output_size/output_padding", lambda: cz.conv_transpose_output_size(3, 3, output_padding=1),
     ValueError, r"output_padding must be smaller than either stride or dilation, but got output_padding=1, "
     r"stride=1, dilation=1"),
    ("conv_transpose2d/output_padding", lambda: cz.conv_transpose2d(XT, WT, stride=2, output_padding=2), ValueError,
     r"output padding must be smaller than either stride or dilation, but got output_padding=\(2, 2\), "
     r"stride=\(2, 2\)"),
    ("conv_params/kernel-0", lambda: cz.conv_params(3, 4, 0), ValueError, r"kernel_size must be positive, but got 0"),
    ("conv_macs/output-negative", lambda: cz.conv_macs(3, 4, 3, -5), ValueError,
     r"output_size must be positive, but got -5"),
    ("conv_macs/axes", lambda: cz.conv_macs(3, 4, (3, 3), (5, 5, 5)), ValueError,
     r"output_size must have 2 entries \(one per spatial axis\), but got \(5, 5, 5\)"),
    ("depthwise_params/multiplier-0", lambda: cz.depthwise_params(3, 3, 0), ValueError,
     r"depth_multiplier must be positive, but got 0"),
    ("receptive_field/empty", lambda: cz.receptive_field([]), ValueError, r"receptive_field needs at least one layer"),
    ("receptive_field/5-tuple", lambda: cz.receptive_field([(3, 1, 0, 1, 5)]), ValueError,
     r"a layer is k, \(k, s\), \(k, s, p\) or \(k, s, p, d\), but got \(3, 1, 0, 1, 5\)"),
    ("effective_kernel_size/0", lambda: cz.effective_kernel_size(0), ValueError,
     r"kernel_size must be positive, but got 0"),
    ("footprint/rate-0", lambda: cz.footprint([1, 0]), ValueError, r"dilation of layer 1 must be positive, but got 0"),
    ("dilate_kernel/0", lambda: cz.dilate_kernel(np.ones((1, 1, 3, 3)), 0), ValueError,
     r"dilation must be positive, but got dilation=0"),
    ("zero_insert/stride-0", lambda: cz.zero_insert(np.ones(3), 0), ValueError,
     r"stride must be positive, but got stride=0"),
    ("overlap_counts/stride-0", lambda: cz.overlap_counts(3, 0, 4), ValueError,
     r"stride must be positive, but got stride=0"),
    ("shufflenet_unit/stride-3", lambda: cz.shufflenet_unit(np.ones((1, 8, 4, 4)), unit(), 2, stride=3), ValueError,
     r"a ShuffleNet unit has stride 1 \(residual add\) or 2 \(concatenation\), but got stride=3"),

    # ---- bad mode strings, bad flags ---------------------------------------------------------------------------
    ("conv2d/padding-string", lambda: cz.conv2d(X, W, padding="full"), ValueError,
     r"Invalid padding string 'full', should be one of 'valid', 'same' or an int/tuple"),
    ("conv2d/same-strided", lambda: cz.conv2d(X, W, padding="same", stride=2), ValueError,
     r"padding='same' is not supported for strided convolutions \(got stride=\(2, 2\)\)"),
    ("convolve/mode", lambda: cz.convolve([1, 2, 3], [1, 1], mode="circular"), ValueError,
     r"mode must be one of 'full', 'same', 'valid', but got 'circular'"),
    ("correlate/mode-none", lambda: cz.correlate([1, 2], [1], mode=None), ValueError,
     r"mode must be one of 'full', 'same', 'valid', but got None"),
    ("interpolate/mode", lambda: cz.interpolate(X, scale_factor=2, mode="cubic"), ValueError,
     r"mode must be one of 'nearest', 'nearest-exact', 'linear', 'bilinear', 'trilinear', but got 'cubic'"),
    ("interpolate/mode-int", lambda: cz.interpolate(X, size=2, mode=2), ValueError, r"mode must be one of .* got 2"),
    ("interpolate/align-nearest", lambda: cz.interpolate(X, size=2, align_corners=True), ValueError,
     r"align_corners option can only be set with the interpolating modes"),
    ("interpolate/align-string", lambda: cz.interpolate(X, size=2, mode="bilinear", align_corners="yes"),
     TypeError, r"align_corners must be True, False or None, but got 'yes'"),
    ("interpolate/size-and-scale", lambda: cz.interpolate(X, size=3, scale_factor=2), ValueError,
     r"only one of size or scale_factor should be defined"),
    ("interpolate/neither", lambda: cz.interpolate(X), ValueError, r"either size or scale_factor should be defined"),
    ("resize_conv2d/mode", lambda: cz.resize_conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), mode="cubic"),
     ValueError, r"mode must be 'nearest' or 'bilinear', but got 'cubic'"),
    ("max_pool2d/ceil_mode-string", lambda: cz.max_pool2d(X, 2, ceil_mode="yes"), TypeError,
     r"ceil_mode must be True or False, but got 'yes'"),
    ("max_pool2d/return_indices-string", lambda: cz.max_pool2d(X, 2, return_indices="yes"), TypeError,
     r"return_indices must be True or False, but got 'yes'"),
    ("avg_pool2d/count_include_pad-string", lambda: cz.avg_pool2d(X, 2, count_include_pad="no"), TypeError,
     r"count_include_pad must be True or False, but got 'no'"),
    ("shufflenet_unit/params-list", lambda: cz.shufflenet_unit(np.ones((1, 8, 4, 4)), [1, 2], 2), TypeError,
     r"params must be a mapping with keys \('conv1', 'dw', 'conv2'\) .* but got list"),
    ("shufflenet_unit/params-missing",
     lambda: cz.shufflenet_unit(np.ones((1, 8, 4, 4)), {"conv1": np.ones((2, 4, 1, 1))}, 2), ValueError,
     r"params is missing \['dw', 'conv2'\]"),

    # ---- non-integer strides and sizes ---------------------------------------------------------------------
    ("conv2d/stride-1.5", lambda: cz.conv2d(X, W, stride=1.5), TypeError,
     r"stride must be an int or a tuple of 2 ints, but got 1.5 \(an element of type float\)"),
    ("conv2d/stride-2.0", lambda: cz.conv2d(X, W, stride=2.0), TypeError,
     r"stride must be an int or a tuple of 2 ints, but got 2.0"),
    ("conv2d/stride-string", lambda: cz.conv2d(X, W, stride="2"), TypeError,
     r"stride must be an int or a tuple of 2 ints, but got '2' \(an element of type str\)"),
    ("conv2d/stride-None", lambda: cz.conv2d(X, W, stride=None), TypeError, r"stride must be an int .* got None"),
    ("conv2d/stride-3-axes", lambda: cz.conv2d(X, W, stride=(1, 1, 1)), ValueError,
     r"stride must be an int or a tuple of 2 ints, but got \(1, 1, 1\)"),
    ("conv2d/padding-1.5", lambda: cz.conv2d(X, W, padding=1.5), TypeError,
     r"padding must be an int or a tuple of 2 ints, but got 1.5"),
    ("conv2d/groups-1.0", lambda: cz.conv2d(X, W, groups=1.0), TypeError, r"groups must be an int, but got 1.0"),
    ("conv_transpose2d/stride-1.5", lambda: cz.conv_transpose2d(XT, WT, stride=1.5), TypeError,
     r"stride must be an int or a tuple of 2 ints, but got 1.5"),
    ("conv_transpose2d/groups-1.5", lambda: cz.conv_transpose2d(XT, WT, groups=1.5), TypeError,
     r"groups must be an int, but got 1.5"),
    ("max_pool2d/stride-1.5", lambda: cz.max_pool2d(X, 2, stride=1.5), TypeError,
     r"stride must be an int or a tuple of 2 ints, but got 1.5"),
    ("avg_pool2d/divisor-2.5", lambda: cz.avg_pool2d(X, 2, divisor_override=2.5), TypeError,
     r"divisor_override must be an integer, but got 2.5 of type float"),
    ("adaptive_avg_pool2d/output-2.5", lambda: cz.adaptive_avg_pool2d(X, 2.5), TypeError,
     r"output_size must be an integer, but got 2.5 of type float"),
    ("interpolate/size-2.5", lambda: cz.interpolate(X, size=2.5), TypeError,
     r"size must be an int or a tuple of 2 ints, but got 2.5"),
    ("interpolate/scale-string", lambda: cz.interpolate(X, scale_factor="2"), TypeError,
     r"scale_factor must be a positive number or a tuple of them, but got '2'"),
    ("pixel_shuffle/factor-2.0", lambda: cz.pixel_shuffle(np.ones((1, 4, 2, 2)), 2.0), TypeError,
     r"upscale_factor must be an integer, but got 2.0 of type float"),
    ("channel_shuffle/groups-2.0", lambda: cz.channel_shuffle(np.ones((1, 6, 2, 2)), 2.0), TypeError,
     r"groups must be an integer, but got 2.0 of type float"),
    ("shufflenet_unit/groups-2.0", lambda: cz.shufflenet_unit(np.ones((1, 8, 4, 4)), unit(), 2.0), TypeError,
     r"groups must be an integer, but got 2.0"),
    ("conv_output_size/float", lambda: cz.conv_output_size(3.0, 1), TypeError,
     r"input size i must be an integer, but got 3.0 of type float"),
    ("conv_params/kernel-3.0", lambda: cz.conv_params(3, 4, 3.0), TypeError,
     r"kernel_size must be an integer, but got 3.0 of type float"),
    ("receptive_field/kernel-3.5", lambda: cz.receptive_field([(3.5, 1)]), TypeError,
     r"layer 0 kernel size k must be an integer, but got 3.5"),
    ("dilate_kernel/1.5", lambda: cz.dilate_kernel(np.ones((1, 1, 3, 3)), 1.5), TypeError,
     r"dilation must be an int or a tuple of 2 ints, but got 1.5"),
    ("max_unpool2d/output_size-int",
     lambda: cz.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 2, output_size=4), TypeError,
     r"output_size must be a sequence of 2 \(H, W\) or 4 sizes, but got 4 of type int"),

    # ---- empty batches and other empty inputs (the output would be empty) ----------------------------------
    ("max_pool2d/empty-batch", lambda: cz.max_pool2d(np.ones((0, 1, 4, 4)), 2), ValueError,
     r"max_pool2d expects an input with no zero-size dimension, but got input of size \(0, 1, 4, 4\)"),
    ("adaptive_avg_pool2d/empty-batch", lambda: cz.adaptive_avg_pool2d(np.ones((0, 3, 4, 4)), 2), ValueError,
     r"adaptive_avg_pool2d expects an input with non-zero batch, channel and spatial sizes, but got input of size "
     r"\(0, 3, 4, 4\)"),
    ("max_unpool2d/empty-batch",
     lambda: cz.max_unpool2d(np.ones((0, 1, 2, 2)), np.zeros((0, 1, 2, 2), int), 2), ValueError,
     r"max_unpool2d: input must have no zero-size dimension .* input of size \(0, 1, 2, 2\) \(axis 0 is 0\)"),
    ("interpolate/empty-batch", lambda: cz.interpolate(np.ones((0, 3, 4, 4)), size=2), ValueError,
     r"interpolate expects an input with no zero-size dimension, but got \(0, 3, 4, 4\)"),
    ("pixel_shuffle/empty-batch", lambda: cz.pixel_shuffle(np.ones((0, 4, 2, 2)), 2), ValueError,
     r"pixel_shuffle: input must have no zero-size dimension .* input of size \(0, 4, 2, 2\) \(axis 0 is 0\)"),
    ("pixel_shuffle/zero-height", lambda: cz.pixel_shuffle(np.ones((1, 4, 0, 2)), 2), ValueError,
     r"pixel_shuffle: input must have no zero-size dimension .* \(1, 4, 0, 2\) \(axis 2 is 0\)"),
    ("pixel_unshuffle/zero-height", lambda: cz.pixel_unshuffle(np.ones((1, 1, 0, 4)), 2), ValueError,
     r"pixel_unshuffle: input must have no zero-size dimension .* \(1, 1, 0, 4\)"),
    ("channel_shuffle/empty-batch", lambda: cz.channel_shuffle(np.ones((0, 6, 2, 2)), 2), ValueError,
     r"channel_shuffle: input must have no zero-size dimension .* \(0, 6, 2, 2\)"),
    ("channel_shuffle/no-channels", lambda: cz.channel_shuffle(np.ones((1, 0, 2, 2)), 2), ValueError,
     r"channel_shuffle: input must have no zero-size dimension .* \(1, 0, 2, 2\) \(axis 1 is 0\)"),
    ("depthwise_conv2d/no-channels", lambda: cz.depthwise_conv2d(np.ones((1, 0, 5, 5)), np.ones((6, 1, 3, 3))),
     ValueError, r"depthwise_conv2d: input must have no zero-size dimension .* \(1, 0, 5, 5\)"),
    ("pointwise_conv2d/empty-batch", lambda: cz.pointwise_conv2d(np.ones((0, 3, 5, 5)), np.ones((4, 3))),
     ValueError, r"pointwise_conv2d: input must have no zero-size dimension .* \(0, 3, 5, 5\)"),
    ("grouped_conv_by_split/empty-batch",
     lambda: cz.grouped_conv_by_split(np.ones((0, 4, 5, 5)), np.ones((4, 2, 3, 3)), groups=2), ValueError,
     r"grouped_conv_by_split: input must have no zero-size dimension .* \(0, 4, 5, 5\)"),
    ("squeeze_excitation/empty-batch", lambda: cz.squeeze_excitation(np.ones((0, 8, 4, 4)), **SE), ValueError,
     r"squeeze_excitation: x must have no zero-size dimension .* x of size \(0, 8, 4, 4\)"),
    ("shufflenet_unit/empty-batch", lambda: cz.shufflenet_unit(np.ones((0, 8, 4, 4)), unit(), 2), ValueError,
     r"shufflenet_unit: x must have no zero-size dimension .* x of size \(0, 8, 4, 4\)"),
    ("causal_conv1d/empty-batch", lambda: cz.causal_conv1d(np.ones((0, 1, 5)), np.ones((1, 1, 2))), ValueError,
     r"causal_conv1d: input must have no zero-size dimension .* input of size \(0, 1, 5\)"),
    ("separate_kernel/empty", lambda: cz.separate_kernel(np.ones((0, 3))), ValueError,
     r"separate_kernel: kernel must have no zero-size dimension .* kernel of size \(0, 3\)"),
    ("flatten_filter/empty", lambda: cz.flatten_filter(np.ones((0, 3, 3))), ValueError,
     r"flatten_filter: filter must have no zero-size dimension .* filter of size \(0, 3, 3\)"),
    ("convolve/empty", lambda: cz.convolve([], [1, 1]), ValueError,
     r"convolve: a and v must not be empty, but got sizes \(0,\) and \(2,\)"),
    ("zero_insert/empty", lambda: cz.zero_insert(np.ones((0,)), 2), ValueError,
     r"zero_insert needs a non-empty array with at least one axis, but got shape \(0,\)"),

    # ---- shapes that do not fit: bias, indices, output_size, separable terms ----------------------------------
    ("conv2d/bias-length", lambda: cz.conv2d(X, W, bias=np.ones(3)), ValueError,
     r"bias must have shape \(4,\) \(one value per output channel\), but got \(3,\)"),
    ("conv2d/bias-2d", lambda: cz.conv2d(X, W, bias=np.ones((4, 1))), ValueError,
     r"bias must have shape \(4,\) .* but got \(4, 1\)"),
    ("conv_transpose2d/bias-length", lambda: cz.conv_transpose2d(XT, WT, bias=np.ones(3)), ValueError,
     r"bias must have shape \(2,\) \(one value per output channel\), but got \(3,\)"),
    ("causal_conv1d/bias-length", lambda: cz.causal_conv1d(np.ones((1, 1, 5)), np.ones((1, 1, 2)), bias=np.ones(2)),
     ValueError, r"bias must have shape \(1,\) .* but got \(2,\)"),
    ("flattened_conv2d/bias-length",
     lambda: cz.flattened_conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)),
                                 bias=np.ones(3)), ValueError,
     r"bias must have shape \(2,\) \(one value per filter of lateral \(2, 3\)\), but got \(3,\)"),
    ("squeeze_excitation/b2-length", lambda: cz.squeeze_excitation(np.ones((1, 8, 4, 4)), **{**SE, "b2": np.zeros(7)}),
     ValueError, r"b2 must have shape \(8,\), one value per output channel, but got \(7,\)"),
    ("max_unpool2d/indices-shape",
     lambda: cz.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 3), int), 2), ValueError,
     r"Expected shape of indices to be same as that of the input \(1, 1, 2, 2\), but got indices of size "
     r"\(1, 1, 2, 3\)"),
    ("max_unpool2d/index-out-of-range", lambda: cz.max_unpool2d(np.ones((1, 1, 2, 2)), np.full((1, 1, 2, 2), 16), 2),
     ValueError, r"Found an invalid max index: 16 \(output volumes are of size 4x4\)"),
    ("max_unpool2d/index-negative", lambda: cz.max_unpool2d(np.ones((1, 1, 2, 2)), np.full((1, 1, 2, 2), -1), 2),
     ValueError, r"Found an invalid max index: -1 \(output volumes are of size 4x4\)"),
    ("max_unpool2d/output_size-range",
     lambda: cz.max_unpool2d(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2), int), 2, output_size=(7, 7)), ValueError,
     r'invalid output_size "\(7, 7\)" \(dim 0 must be between 2 and 6, exclusive\)'),
    ("spatially_separable_conv2d/terms",
     lambda: cz.spatially_separable_conv2d(np.ones((1, 1, 5, 5)), np.ones((2, 3)), np.ones((1, 3))), ValueError,
     r"vertical \(2, 3\) and horizontal \(1, 3\) must hold the same number of terms"),
    ("rank1_filter/vertical-2d", lambda: cz.rank1_filter([1, 2], [[1]], [1]), ValueError,
     r"Expected 1D vertical to rank1_filter, but got vertical of size: \(1, 1\)"),
    ("conv_matrix/input_shape", lambda: cz.conv_matrix(np.ones((3, 3)), (3, 3, 3)), ValueError,
     r"input_shape must be an int or a tuple of 2 ints, but got \(3, 3, 3\)"),

    # ---- non-finite values where a fit needs finite ones (numpy's SVD would not converge) ---------------------
    ("separate_kernel/nan", lambda: cz.separate_kernel(np.array([[1.0, 2.0], [np.nan, 4.0]])), ValueError,
     r"separate_kernel: kernel must be finite to be fitted, but kernel\[1, 0\] = nan \(of kernel of size \(2, 2\)\)"),
    ("flatten_filter/inf", lambda: cz.flatten_filter(np.full((2, 2, 2), np.inf)), ValueError,
     r"flatten_filter: filter must be finite to be fitted, but filter\[0, 0, 0\] = inf"),
    ("separable_decompose/nan", lambda: cz.separable_decompose(np.full((2, 2, 3, 3), np.nan)), ValueError,
     r"separable_decompose: weight must be finite to be fitted"),
]


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_a_message_naming_it(call, exc, match):
    with pytest.raises(exc, match=match) as info:
        call()
    # the error is ours, raised on purpose: never numpy's own complaint from deep inside a computation
    assert "broadcast" not in str(info.value) and "could not be broadcast" not in str(info.value)


def test_at_least_thirty_distinct_bad_inputs_across_many_functions():
    assert len({c[0] for c in CASES}) == len(CASES) >= 30
    assert len({c[0].split("/")[0] for c in CASES}) >= 40


# ---- the core's own modules (core.py, transpose.py)
CORE_CASES = [
    ("conv2d/empty-batch", lambda: cz.conv2d(np.ones((0, 3, 5, 5)), W),
     r"input must have no zero-size .*\(0, 3, 5, 5\)"),
    ("conv_general_naive/empty-batch", lambda: cz.conv_general_naive(np.ones((0, 3, 5, 5)), W),
     r"input must have no zero-size .*\(0, 3, 5, 5\)"),
    ("conv_transpose2d/empty-batch", lambda: cz.conv_transpose2d(np.ones((0, 3, 3, 3)), WT),
     r"input must have no zero-size .*\(0, 3, 3, 3\)"),
    ("conv_transpose2d/padding-same", lambda: cz.conv_transpose2d(XT, WT, padding="same"),
     r"padding='same' is not supported for conv_transpose2d"),
]


@pytest.mark.parametrize("call, match", [c[1:] for c in CORE_CASES], ids=[c[0] for c in CORE_CASES])
def test_core_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# ---- NaN and inf in the data are not errors: they propagate as the same sum or max written in numpy ------------
def _numpy_corr2d(x, w, stride=1):
    """Plain numpy reference of a single-channel valid cross-correlation: windows times weights, summed."""
    win = sliding_window_view(x, w.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", win, w)


def _poisoned(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(7, 8))
    x[2, 3], x[5, 6], x[0, 7] = np.nan, np.inf, -np.inf
    return x


@pytest.mark.parametrize("stride", [1, 2])
def test_nan_inf_in_conv2d_propagate_like_numpy(stride):
    x = _poisoned()
    w = np.random.default_rng(1).normal(size=(3, 3))
    w[1, 1] = 0.0                                            # inf * 0 is nan in numpy, and must be here too
    got = cz.conv2d(x[None, None], w[None, None], stride=stride)[0, 0]
    want = _numpy_corr2d(x, w, stride)
    assert np.isnan(want).any() and np.isinf(want).any() and np.isfinite(want).any()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want))
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(want))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)     # equal_nan by default
    np.testing.assert_allclose(cz.conv_general_naive(x[None, None], w[None, None], stride=stride)[0, 0], want,
                               rtol=1e-12, atol=1e-12)


def test_nan_in_one_channel_stays_in_its_depthwise_outputs():
    x = np.ones((3, 6, 6))
    x[1, 2, 2] = np.nan
    y = cz.depthwise_conv2d(x, np.ones((6, 1, 3, 3)))       # m = 2 kernels per channel: channel 1 -> outputs 2, 3
    assert np.isnan(y[2:4]).any() and np.isfinite(y[[0, 1, 4, 5]]).all()
    assert np.isnan(y[2]).sum() == 9                        # every window that covers the pixel, and only those


def test_nan_in_conv_transpose_reaches_exactly_the_stamped_outputs():
    x = np.ones((1, 1, 3, 3))
    x[0, 0, 1, 2] = np.nan
    y = cz.conv_transpose2d(x, np.ones((1, 1, 3, 3)), stride=2)[0, 0]
    mask = np.zeros((7, 7), bool)
    mask[2:5, 4:7] = True                                   # pixel (1, 2) stamps rows 2..4, columns 4..6
    np.testing.assert_array_equal(np.isnan(y), mask)


def test_nan_wins_max_pool_and_inf_averages_like_numpy():
    x = _poisoned()
    got = cz.max_pool2d(x[None, None], 2, stride=1)[0, 0]
    want = sliding_window_view(x, (2, 2)).max(axis=(-2, -1))    # np.max propagates NaN
    np.testing.assert_array_equal(got, want)
    got = cz.avg_pool2d(x[None, None], 2, stride=1)[0, 0]
    want = sliding_window_view(x, (2, 2)).mean(axis=(-2, -1))
    np.testing.assert_allclose(got, want, rtol=1e-12)
    values, idx = cz.max_pool2d(x[None, None], 2, return_indices=True)
    assert np.isnan(values[0, 0, 1, 1]) and idx[0, 0, 1, 1] == 2 * 8 + 3     # the NaN's own position


def test_nan_inf_move_unchanged_through_the_permutations_and_nearest_upsampling():
    x = np.arange(16.0).reshape(1, 4, 2, 2)
    x[0, 1, 0, 1], x[0, 3, 1, 0] = np.nan, -np.inf
    for y in (cz.pixel_shuffle(x, 2), cz.channel_shuffle(x, 2), cz.pixel_unshuffle(cz.pixel_shuffle(x, 2), 2),
              cz.interpolate(x, scale_factor=2)):
        assert np.isnan(y).sum() == np.isnan(x).sum() * y.size // x.size
        assert np.isneginf(y).sum() == np.isneginf(x).sum() * y.size // x.size
    np.testing.assert_array_equal(cz.pixel_unshuffle(cz.pixel_shuffle(x, 2), 2), x)


def test_nan_inf_in_signal_convolve_and_activations_match_numpy():
    a = np.array([1.0, np.nan, 3.0, 4.0, np.inf, 0.5])
    v = np.array([1.0, 0.0, -1.0])
    for mode in ("full", "same", "valid"):
        np.testing.assert_allclose(cz.convolve(a, v, mode), np.convolve(a, v, mode))
        np.testing.assert_allclose(cz.correlate(a, v, mode), np.correlate(a, v, mode))
    np.testing.assert_array_equal(cz.relu([np.nan, -np.inf, np.inf, -1.0]), np.maximum([np.nan, -np.inf, np.inf, -1.0], 0))
    np.testing.assert_array_equal(cz.sigmoid([-np.inf, np.inf]), [0.0, 1.0])
    assert np.isnan(cz.sigmoid([np.nan])).all()
