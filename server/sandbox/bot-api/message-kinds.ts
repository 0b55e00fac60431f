/** The fields of the message kinds `updates.kind` makes, by kind. */
export const MESSAGE_KINDS = {
  audio: (id: number) => ({
    audio: {
      file_id: `CQACAudio${id}`,
      file_unique_id: `Aud${id}`,
      duration: 200,
      file_name: "lesson.mp3",
      mime_type: "audio/mpeg",
      file_size: 3_000_000,
    },
  }),
  video_note: (id: number) => ({
    video_note: {
      file_id: `DQACNote${id}`,
      file_unique_id: `Note${id}`,
      length: 240,
      duration: 7,
      file_size: 400_000,
    },
  }),
  animation: (id: number) => {
    const gif = {
      file_id: `CgACGif${id}`,
      file_unique_id: `Gif${id}`,
      file_name: "broken.mp4",
      mime_type: "video/mp4",
      file_size: 200_000,
    };
    // Telegram sets `document` beside `animation` for older clients.
    return { animation: { ...gif, width: 320, height: 240, duration: 2 }, document: gif };
  },
  contact: () => ({ contact: { phone_number: "+989121234567", first_name: "Sara", last_name: "Ahmadi" } }),
  venue: () => ({
    location: { latitude: 35.6997, longitude: 51.338 },
    venue: { location: { latitude: 35.6997, longitude: 51.338 }, title: "Branch 3", address: "Azadi St. 12" },
  }),
  dice: () => ({ dice: { emoji: "🎲", value: 4 } }),
  executable: (id: number) => ({
    document: {
      file_id: `BQACExe${id}`,
      file_unique_id: `Exe${id}`,
      file_name: "setup.exe",
      mime_type: "application/x-msdownload",
      file_size: 90_000,
    },
  }),
};
