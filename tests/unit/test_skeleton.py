from dashboard import skeleton as sk


def test_33_landmarks_in_mediapipe_order():
    assert sk.NUM_LANDMARKS == 33
    assert sk.LANDMARK_NAMES[0] == "nose"
    assert sk.INDEX["left_shoulder"] == 11 and sk.INDEX["right_hip"] == 24
    assert sk.INDEX["left_knee"] == 25 and sk.INDEX["right_foot_index"] == 32


def test_left_and_right_mirror_each_other():
    assert len(sk.LEFT) == len(sk.RIGHT) == 16
    assert sk.CENTRE == (0,)
    for i, j in enumerate(sk.MIRROR):
        assert sk.MIRROR[j] == i
        if i in sk.LEFT:
            assert j in sk.RIGHT
            assert sk.LANDMARK_NAMES[j] == sk.LANDMARK_NAMES[i].replace("left", "right")


def test_connections_are_valid_and_symmetric():
    pairs = {tuple(sorted(c)) for c in sk.CONNECTIONS}
    assert len(pairs) == len(sk.CONNECTIONS) == 35
    for a, b in pairs:
        assert 0 <= a < 33 and 0 <= b < 33 and a != b
        assert tuple(sorted((sk.MIRROR[a], sk.MIRROR[b]))) in pairs


def test_sides_and_colours():
    assert sk.connection_side(11, 13) == "left"
    assert sk.connection_side(12, 14) == "right"
    assert sk.connection_side(11, 12) == "centre"
    assert sk.colour_of("left") != sk.colour_of("right")
    assert sk.hex_colour("left") == "#e69f00"
