package io.argus.coordinator.mqtt;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Home Assistant MQTT discovery: one retained config message per sensor under
 * {@code <discovery prefix>/sensor/argus/<object id>/config}, so that every stream appears as a
 * device with a sensor per line direction (crossings, ever increasing) and per zone (occupancy)
 * without any configuration in Home Assistant. The sensors read the retained count topics of
 * {@link MqttTopics} and go unavailable with {@code <prefix>/available}.
 */
public final class HomeAssistantDiscovery {
    private final String prefix;
    private final MqttTopics topics;

    public HomeAssistantDiscovery(String discoveryPrefix, MqttTopics topics) {
        this.prefix = discoveryPrefix;
        this.topics = topics;
    }

    public MqttMessage lineSensor(String stream, String line, String direction) {
        String object = objectId(stream + "_" + line + "_" + direction);
        ObjectNode n = sensor(stream, line + " " + direction, object, topics.lineCount(stream, line, direction));
        n.put("state_class", "total_increasing");
        n.put("unit_of_measurement", "crossings");
        n.put("icon", "mdi:swap-horizontal");
        return message(object, n);
    }

    public MqttMessage zoneSensor(String stream, String zone) {
        String object = objectId(stream + "_zone_" + zone);
        ObjectNode n = sensor(stream, zone + " occupancy", object, topics.zoneOccupancy(stream, zone));
        n.put("state_class", "measurement");
        n.put("unit_of_measurement", "people");
        n.put("icon", "mdi:account-group");
        return message(object, n);
    }

    /** The config topic of a sensor; Home Assistant takes an object id of letters, digits, '_' and '-' only. */
    public String configTopic(String objectId) {
        return prefix + "/sensor/argus/" + objectId + "/config";
    }

    private ObjectNode sensor(String stream, String name, String object, String stateTopic) {
        ObjectNode n = EventJson.mapper().createObjectNode();
        n.put("name", name);
        n.put("unique_id", "argus_" + object);
        n.put("object_id", "argus_" + object);
        n.put("state_topic", stateTopic);
        n.put("availability_topic", topics.available());
        ObjectNode device = n.putObject("device");
        device.putArray("identifiers").add("argus_" + objectId(stream));
        device.put("name", "Argus " + stream);
        device.put("manufacturer", "Argus");
        device.put("model", "camera stream");
        return n;
    }

    private MqttMessage message(String object, ObjectNode config) {
        return new MqttMessage(configTopic(object), EventJson.bytes(config), true);
    }

    static String objectId(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        return b.toString();
    }
}
